/**
 * The proof that the mode seam holds: a mode defined under test/ goes through
 * configuration (with positions), a round, the store, an event with its id, the outbox
 * and /api/monitors without any change under src/.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigError, parseConfig } from '../../src/config/index.js';
import { renderTelegramMessage } from '../../src/delivery/sinks/telegram-message.js';
import { buildHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { ModeRegistry } from '../../src/modes/registry.js';
import { Service } from '../../src/service/service.js';
import { CONSTANT_EVENT_TYPE, constantMode } from '../support/constant-mode.js';

const modes = () => new ModeRegistry().register(constantMode);

/** The id events.md promises, computed here without the code under test. */
function expectedId(monitor: string, subject: string, roundTime: number): string {
  const hash = createHash('sha1').update(`asterwatch/condition_met/v1\u0000${monitor}\u0000${subject}\u0000${roundTime}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let service: Service | undefined;
afterEach(async () => {
  await service?.stop(1000);
  service = undefined;
});

describe('a mode registered from outside src/', () => {
  it("is validated with positions: its own fields, its meaning checks, and the other modes' fields", () => {
    const yaml = `monitors:
  - name: c
    monitoring_mode: constant
    valeu: 3
  - name: d
    monitoring_mode: constant
    value: "three"
    condition: "> x"
    monitored_assets: []
`;
    let problems: string[] = [];
    try {
      parseConfig(yaml, 'monitors.yaml', {}, modes());
    } catch (error) {
      problems = (error as ConfigError).message.split('\n');
    }
    expect(problems).toEqual([
      'monitors.yaml:2:5: monitors[0]: a constant monitor needs value: a number',
      'monitors.yaml:4:5: monitors[0].valeu: unknown field "valeu"; did you mean "value"?',
      'monitors.yaml:7:12: monitors[1].value: must be a number',
      'monitors.yaml:8:19: monitors[1].condition: condition "> x": column 3: expected a delta (++ or --), a sign (+ or -) or a number',
      '  > x',
      '    ^',
      'monitors.yaml:9:5: monitors[1].monitored_assets: monitored_assets is only for market monitors; remove it or set monitoring_mode: market',
      '5 configuration errors; nothing was started.',
    ]);
    expect(() => parseConfig(yaml, 'monitors.yaml', {})).toThrow(/monitoring_mode: must be market, portfolio, liquidations or positions/);
  });

  it('runs through a round, the store, the outbox and the HTTP API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-seam-'));
    writeFileSync(
      join(dir, 'monitors.yaml'),
      `sinks:
  out: { type: file, path: ./events.jsonl }
monitors:
  - name: fixed
    monitoring_mode: constant
    value: 250
    condition: ">> 100"
    check_interval: 60
    notify: [out]
`,
    );
    service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath: join(dir, 'state.db'), logger: silentLogger(), modes: modes() });
    const roundTime = Date.UTC(2026, 10, 22, 12, 0);

    const first = await service.runRound(roundTime);
    expect(first.failed).toEqual([]);
    expect(first.contactedExchange).toBe(false);
    expect(first.events.map((e) => e.event)).toEqual([
      expect.objectContaining({
        id: expectedId('fixed', 'constant', roundTime),
        type: CONSTANT_EVENT_TYPE,
        source: 'asterwatch/monitors/fixed',
        subject: 'constant',
        data: { value: 250, condition: '>> 100', monitor: 'fixed', severity: 0.75, severity_label: 'critical' },
      }),
    ]);
    // The once-state is stored: the next round holds.
    expect((await service.runRound(roundTime + 60_000)).events).toEqual([]);
    expect((await service.store.statesOf('fixed')).get('constant')).toMatchObject({ value: 250, armed: false, version: 2 });

    service.outbox.start();
    expect(await service.outbox.drain(5000)).toBe(true);
    const delivered = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string });
    expect(delivered.map((e) => e.id)).toEqual([expectedId('fixed', 'constant', roundTime)]);
    expect(renderTelegramMessage(first.events[0]!.event, service.modes)).toBe('constant 250');

    const { app } = buildHttpApp(service);
    const { monitors } = (await app.inject('/api/monitors')).json();
    expect(monitors).toEqual([
      expect.objectContaining({
        name: 'fixed',
        mode: 'constant',
        interval_seconds: 60,
        notify: ['out'],
        subjects: [
          expect.objectContaining({
            subject: 'constant',
            symbol: null,
            condition: '>> 100',
            description: 'once, when the constant is above 100',
            level: 100,
            value: 250,
            armed: false,
          }),
        ],
      }),
    ]);
    await app.close();
  });
});
