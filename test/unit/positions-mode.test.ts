/**
 * The positions mode (aster-accounts.md §5) without the network: subjects per open position
 * in one-way and hedge mode, the three measures, the severity rule, state dropped when a
 * position closes, the event's data, the Telegram lines, the configuration's checks.
 */
import { describe, expect, it } from 'vitest';
import { type ConfigError, parseConfig, type MonitorConfig } from '../../src/config/index.js';
import type { AlertEvent } from '../../src/events/index.js';
import type { Position } from '../../src/exchange/index.js';
import type { MonitorCheck, PolledCheck, RoundInputs } from '../../src/modes/mode.js';
import { positionsMode, type PositionsEventData, type PositionsSettings } from '../../src/modes/positions/index.js';
import type { Need, SourceCatalog } from '../../src/sources/index.js';
import type { SubjectState } from '../../src/store/index.js';
import { KEY, position, SIGNER, T0 } from '../helpers/positions.js';

function monitorOf(fields: string): MonitorConfig<PositionsSettings> {
  const yaml = `monitors:\n  - name: perps\n    monitoring_mode: positions\n    signer: "${SIGNER}"\n    private_key: "${KEY}"\n${fields}`;
  return parseConfig(yaml, 'monitors.yaml', {}).monitors[0] as MonitorConfig<PositionsSettings>;
}

/** Runs checks one after another, carrying states as the round would. */
function runner(monitor: MonitorConfig<PositionsSettings>) {
  let open: Position[] = [];
  const need: Need<Position[]> = { key: 'positions:test', fetch: async () => open };
  const sources = { positions: () => need } as unknown as SourceCatalog;
  const check: PolledCheck = positionsMode.driver.kind === 'polled' ? positionsMode.driver.bind(monitor, sources) : (undefined as never);
  let states = new Map<string, SubjectState>();
  let round = 0;
  return (positions: Position[]): MonitorCheck => {
    open = positions;
    round++;
    const at = T0 + round * 60_000;
    const inputs: RoundInputs = {
      roundTime: at,
      checkedAt: at,
      read: <T>() => open as unknown as T,
      baseline: { available: true, openPrice: () => undefined },
    };
    const result = check.check(states, inputs);
    const next = new Map(states);
    for (const s of result.states) next.set(s.subject, { ...s, version: 1 });
    for (const subject of result.forget) next.delete(subject);
    states = next;
    return result;
  };
}

const fired = (check: MonitorCheck) => check.events.map((e) => e.subject);

describe('subjects and measures', () => {
  it('names a one-way position by its symbol and hedge-mode ones by symbol and side', () => {
    const run = runner(monitorOf('    condition: "< 100"\n'));
    const check = run([
      position(),
      position({ symbol: 'ETHUSDT', positionSide: 'LONG', markPrice: 3000, liquidationPrice: 2000 }),
      position({ symbol: 'ETHUSDT', positionSide: 'SHORT', positionAmt: -1, markPrice: 3000, liquidationPrice: 4000 }),
    ]);
    expect(check.subjects.map((s) => [s.subject, Math.round(s.current * 100) / 100])).toEqual([
      ['BTCUSDT', 4.2],
      ['ETHUSDT:LONG', 33.33],
      ['ETHUSDT:SHORT', 33.33],
    ]);
    expect(check.subjects[0]!.detail).toBe('BTCUSDT long is 4.2 % from liquidation at $58,437.6 · mark $61,000 · 0.5 @ $60,000, 20x isolated');
  });

  it('measures unrealised PnL and return on margin', () => {
    const pnl = runner(monitorOf('    measure: unrealized_pnl\n    condition: "> 0"\n'))([position({ unRealizedProfit: -250 })]);
    expect(pnl.subjects[0]!.current).toBe(-250);
    // margin = 0.5 × 60,000 / 20 = 1,500; 500 / 1,500 = 33.33 %
    const roe = runner(monitorOf('    measure: roe\n    condition: "> 0"\n'))([position()]);
    expect(roe.subjects[0]!.current).toBeCloseTo(33.3333, 3);
  });

  it('does not evaluate what cannot be measured: no liquidation price, no margin — a warning, no state, never a zero', () => {
    const distance = runner(monitorOf(''))([position({ liquidationPrice: 0 })]);
    expect(distance.subjects).toEqual([]);
    expect(distance.states).toEqual([]);
    expect(distance.warnings).toEqual(['BTCUSDT: liquidation_distance is not evaluable: it has no liquidation price (0)']);
    const roe = runner(monitorOf('    measure: roe\n'))([position({ entryPrice: 0 })]);
    expect(roe.warnings).toEqual(['BTCUSDT: roe is not evaluable: its margin is 0 (no entry price)']);
  });

  it('watches only the listed symbols', () => {
    const run = runner(monitorOf('    symbols: [ethusdt]\n    condition: "< 100"\n'));
    expect(run([position(), position({ symbol: 'ETHUSDT' })]).subjects.map((s) => s.subject)).toEqual(['ETHUSDT']);
  });
});

describe('once-state and closing', () => {
  it('fires once as a position comes within 10 %, and again only after it closed and reopened', () => {
    const run = runner(monitorOf('')); // the default: << 10
    expect(fired(run([position({ liquidationPrice: 50000 })]))).toEqual([]); // 18 %: not within 10 %
    expect(fired(run([position()]))).toEqual(['BTCUSDT']); // 4.2 %: the edge
    expect(fired(run([position({ liquidationPrice: 58000 })]))).toEqual([]); // still within: once
    const closed = run([]);
    expect(closed.forget).toEqual(['BTCUSDT']);
    expect(fired(run([position()]))).toEqual(['BTCUSDT']); // reopened: fresh, so it fires again
  });

  it('keeps the state of an open position it cannot measure for a while (armed unchanged), warning once', () => {
    const run = runner(monitorOf(''));
    expect(fired(run([position()]))).toEqual(['BTCUSDT']);
    const blind = run([position({ liquidationPrice: 0 })]);
    expect(blind.forget).toEqual([]);
    expect(blind.warnings).toHaveLength(1);
    expect(run([position({ liquidationPrice: 0 })]).warnings).toEqual([]); // said once
    expect(fired(run([position()]))).toEqual([]); // still within 10 %, still fired: no second alert
  });

  it('treats a one-way position that flipped sides between two checks as a new position', () => {
    const run = runner(monitorOf(''));
    expect(fired(run([position()]))).toEqual(['BTCUSDT']); // long, 4.2 %
    // Closed and reopened short between two checks: same subject, a new position.
    const short = position({ positionAmt: -0.5, liquidationPrice: 63562 });
    const check = run([short]);
    expect(fired(check)).toEqual(['BTCUSDT']);
    expect(check.subjects[0]!.previous).toBeNull();
    expect(fired(run([short]))).toEqual([]);
  });
});

describe('severity: the portfolio level rule on the distance', () => {
  it.each([
    [2, 'critical'],
    [4, 'high'],
    [7, 'medium'],
    [9, 'low'],
  ])('<< 10 at %s %% is %s', (distance, label) => {
    const run = runner(monitorOf(''));
    const [event] = run([position({ markPrice: 100, liquidationPrice: 100 - distance })]).events;
    expect(event!.data.severity_label).toBe(label);
  });
});

describe('the event', () => {
  const [event] = runner(monitorOf(''))([position({ positionSide: 'SHORT', positionAmt: -0.5, liquidationPrice: 63562.0 })]).events as Array<
    AlertEvent<PositionsEventData>
  >;

  it('carries the spec’s fields', () => {
    expect(event!.type).toBe('asterex.positions.condition_met');
    expect(event!.subject).toBe('BTCUSDT:SHORT');
    expect(event!.source).toBe('asterwatch/monitors/perps');
    expect(event!.data).toEqual({
      symbol: 'BTCUSDT',
      position_side: 'SHORT',
      position_amount: -0.5,
      entry_price: 60000,
      mark_price: 61000,
      liquidation_price: 63562,
      unrealized_pnl: 500,
      leverage: 20,
      margin_type: 'isolated',
      measure: 'liquidation_distance',
      value: expect.closeTo(4.2, 5),
      previous_value: null,
      condition: '<< 10',
      monitor: 'perps',
      severity: 0.5,
      severity_label: 'high',
    });
  });

  it('reads on Telegram as the side and the distance to liquidation in words', () => {
    expect(positionsMode.renderTelegram!(event!)).toBe(
      [
        '🟠 <b>BTCUSDT short is 4.2 % from liquidation at $63,562</b>',
        '<b>HIGH</b> · perps',
        'mark $61,000 · entry $60,000 · 0.5 at 20x isolated',
        'distance to liquidation 4.2 %',
        '<i>condition</i> <code>&lt;&lt; 10</code>',
      ].join('\n'),
    );
  });
});

describe('configuration', () => {
  const problems = (fields: string) => {
    try {
      parseConfig(`monitors:\n  - name: perps\n    monitoring_mode: positions\n${fields}`, 'monitors.yaml', {});
      return [];
    } catch (error) {
      return (error as ConfigError).problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`);
    }
  };

  it('needs credentials of one kind, whole', () => {
    expect(problems('')).toEqual([
      '2:5: monitors[0]: a positions monitor needs credentials: signer and private_key of an API wallet (V3), or api_key and api_secret (V1, legacy)',
    ]);
    expect(problems(`    signer: "${SIGNER}"\n`)).toEqual([
      '2:5: monitors[0]: a positions monitor with an API wallet (V3) needs signer and private_key (missing: private_key); user is optional',
    ]);
    expect(problems(`    signer: "${SIGNER}"\n    private_key: "${KEY}"\n    api_key: k\n    api_secret: s\n`)[0]).toMatch(
      /^4:5: monitors\[0\]\.signer: give one kind of credentials/,
    );
  });

  it('says what is wrong with a key without showing it', () => {
    const wrong = `0x${'7'.repeat(64)}`;
    const [mismatch] = problems(`    signer: "${SIGNER}"\n    private_key: "${wrong}"\n`);
    expect(mismatch).toMatch(
      /^5:18: monitors\[0\].private_key: is not the key of signer 0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0: it signs as 0x[0-9a-fA-F]{40}/,
    );
    expect(mismatch).not.toContain('7777777777');
    const [short] = problems(`    signer: "${SIGNER}"\n    private_key: "0x${'a'.repeat(40)}"\n`);
    expect(short).toBe(
      '5:18: monitors[0].private_key: must be 0x followed by 64 hex digits (32 bytes), the private key shown once when the API wallet was created; got a string of 42 characters (not shown)',
    );
    const [unquoted] = problems(`    signer: "${SIGNER}"\n    private_key: ${KEY}\n`);
    expect(unquoted).toMatch(/private_key: must be the API wallet's private key in quotes; YAML reads an unquoted 0x… value as a number/);
    expect(unquoted).not.toMatch(/4fd0a4|e\+/);
  });

  it('checks measure and symbols', () => {
    expect(problems(`    signer: "${SIGNER}"\n    private_key: "${KEY}"\n    measure: pnl\n    symbols: [BTCUSDT, btcusdt]\n`)).toEqual([
      '6:14: monitors[0].measure: must be liquidation_distance (the default: % the mark price may still move against the position), unrealized_pnl (USD) or roe (%)',
      '7:24: monitors[0].symbols[1]: BTCUSDT is listed twice in this monitor',
    ]);
  });
});

describe('distances in words', () => {
  it('never round up to the threshold: 9.96 % reads 9.9 %', async () => {
    const { percent } = await import('../../src/modes/positions/words.js');
    expect(percent(9.96)).toBe('9.9 %');
    expect(percent(4.2)).toBe('4.2 %');
    expect(percent(0.04)).toBe('0.0 %');
  });
});
