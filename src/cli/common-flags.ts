/**
 * @module cli/common-flags — flags shared by the commands that load a configuration.
 */
export const CONFIG_FLAGS = {
  config: { type: 'string', short: 'c' },
  state: { type: 'string', short: 's' },
  'fresh-state': { type: 'boolean' },
} as const;

export const CONFIG_HELP = `  -c, --config FILE  monitors file (default: $ASTERWATCH_CONFIG or ./monitors.yaml)
  -s, --state PATH   state database (default: $ASTERWATCH_STATE or ./.asterwatch/state.db)
      --fresh-state  accept an empty (0-byte) state file and start with an empty state
                     (otherwise refused: it may be a truncated database)`;
