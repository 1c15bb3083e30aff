/**
 * Readiness reports the store as the rounds find it (the last commit's result), and
 * asking never blocks the process, even while another process holds the write lock.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';
import { Service } from '../../src/service/service.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

let exchange: FakeExchange;
let service: Service;
let statePath: string;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  const dir = mkdtempSync(join(tmpdir(), 'aw-ready-'));
  statePath = join(dir, 'state.db');
  writeFileSync(
    join(dir, 'monitors.yaml'),
    'monitors:\n  - { name: m, monitoring_mode: market, check_interval: 60, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n',
  );
  service = Service.open({ configPath: join(dir, 'monitors.yaml'), statePath, logger: silentLogger(), baseUrl: exchange.url });
});

afterEach(async () => {
  await service.stop(1000);
  await exchange.stop();
});

describe('/readyz and the store', () => {
  it('says the database is not ok when round commits fail, with the reason, and ok again after a good commit', async () => {
    const { app } = buildHttpApp(service);
    await service.runRound(Date.now());
    expect((await app.inject('/readyz')).json().checks.database).toEqual({ ok: true, error: null });

    const other = new Database(statePath);
    other.exec("CREATE TRIGGER broken BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'database disk image is malformed'); END;");
    await expect(service.runRound(Date.now() + 1)).rejects.toMatchObject({ code: 'STORE_WRITE' });
    const failing = (await app.inject('/readyz')).json();
    expect(failing.failed).toContain('database');
    expect(failing.checks.database.error).toMatch(/database disk image is malformed/);
    expect(failing.checks.database).not.toHaveProperty('path');

    other.exec('DROP TRIGGER broken');
    other.close();
    await service.runRound(Date.now() + 2);
    expect((await app.inject('/readyz')).json().checks.database.ok).toBe(true);
    await app.close();
  });

  it('answers at once while another process holds the write lock', async () => {
    const { app } = buildHttpApp(service);
    const other = new Database(statePath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const response = await app.inject('/readyz');
      expect(Date.now() - started).toBeLessThan(1000); // the busy timeout is 5 s
      expect(response.json().checks.database.ok).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await app.close();
    }
  });
});
