/**
 * @module demo/demo-config — the configuration `asterwatch demo` runs: one monitor or two of
 * every mode, with conditions the simulated market meets within a minute.
 */

/** The demo account's V1 key on the simulated exchange (it exists nowhere else). */
export const DEMO_API_KEY = 'demo-key';
export const DEMO_API_SECRET = 'demo-secret-not-a-real-one';

export const DEMO_CONFIG = `# asterwatch demo: every monitor below watches a simulated exchange running on this machine;
# nothing is sent anywhere but standard output. To try your own sink, save this file
# (asterwatch demo --print-config > demo.yaml), add a sink under sinks: — a webhook, Telegram,
# Discord, Slack or email — name it in a monitor's notify:, then: asterwatch demo --config demo.yaml

# sinks:
#   mine:
#     type: webhook
#     url: https://example.com/alerts

monitors:
  - name: majors
    monitoring_mode: market
    check_interval: 60
    notify_resolved: true
    monitored_assets:
      - { asset: BTC, condition: ">> 2%" }      # up more than 2% on the day: fires at the first check
      - { asset: ETH, condition: "> 3000" }     # every check while above 3,000
      - { asset: SOL, condition: "<< --0.5%" }  # once, when SOL falls more than 0.5% within a minute

  - name: treasury
    monitoring_mode: portfolio
    check_interval: 60
    mock_account_data: '{"balances":[{"asset":"BTC","free":"1.5","locked":"0"},{"asset":"USDT","free":"25000","locked":"0"}]}'
    portfolio_condition: "> 100k"

  - name: leverage
    monitoring_mode: positions
    check_interval: 60
    api_key: ${DEMO_API_KEY}
    api_secret: ${DEMO_API_SECRET}
    condition: "< 5"                            # an open position within 5% of its liquidation price
    repeat_interval: 300

  - name: whales
    monitoring_mode: liquidations
    condition: ">= 50k"                         # each liquidation of $50k or more

  - name: cascade
    monitoring_mode: liquidations
    window: 60
    condition: ">> 400k"                        # once, when more than $400k is liquidated within 60 s
    notify_resolved: true
`;
