/**
 * End-to-end, black-box: Aster V3 API wallets (EIP-712), futures accounts and positions mode,
 * through the built CLI against the local fake exchange (spec: aster-accounts.md).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliResult } from '../helpers/cli.js';
import { FakeExchange, type FakePosition, type LoggedRequest } from '../helpers/fake-exchange.js';
import { LineCollector, waitUntil } from '../helpers/lines.js';

// The documentation's demo API wallet (aster-accounts.md §2).
const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
const SIGNER = '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0';

let exchange: FakeExchange;
let dir: string;
let env: NodeJS.ProcessEnv;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 60000, 50000);
  exchange.setPrice('ETHUSDT', 3000, 3000);
  dir = mkdtempSync(join(tmpdir(), 'asterwatch-accounts-'));
  env = {
    ASTER_BASE_URL: exchange.url,
    ASTER_FUTURES_URL: exchange.url,
    ASTERWATCH_STATE: join(dir, 'state.db'),
    LOG_LEVEL: 'info',
    ASTER_SIGNER_KEY: KEY,
  };
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await exchange.stop();
});

interface CloudEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  data: Record<string, unknown> & { values?: Record<string, unknown> };
}

const events = (stdout: string): CloudEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CloudEvent);

interface LogLine {
  level: number;
  msg: string;
  monitor?: string;
  [key: string]: unknown;
}

const logs = (stderr: string): LogLine[] =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);

function writeConfig(yaml: string): string {
  const file = join(dir, 'monitors.yaml');
  writeFileSync(file, yaml);
  return file;
}

const check = (config: string, extra: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<CliResult> =>
  runCli(['check', '--config', config], { env: { ...env, ...extra }, timeoutMs });

const requestsTo = (path: string): LoggedRequest[] => exchange.requests.filter((r) => r.path === path);

/** A spot balance set worth $61,000 at BTC 60,000 (and $51,000 24 h ago, at 50,000). */
const SPOT = [
  { asset: 'USDT', free: '1000', locked: '0' },
  { asset: 'BTC', free: '1', locked: '0' },
];

function position(p: Partial<FakePosition> & { symbol: string }): FakePosition {
  return {
    positionAmt: '1',
    entryPrice: '100',
    markPrice: '100',
    liquidationPrice: '0',
    unRealizedProfit: '0',
    leverage: '10',
    marginType: 'cross',
    positionSide: 'BOTH',
    ...p,
  };
}

/** A V3 monitor's credential lines (private key from the environment). */
const v3 = (signer = SIGNER, keyVar = 'ASTER_SIGNER_KEY') => `    signer: "${signer}"\n    private_key: \${${keyVar}}\n`;

/** The key's hex digits, lowercase, without 0x. */
const hexOf = (key: string) => key.replace(/^0x/i, '').toLowerCase();

/** Every 16-hex-digit window of the key's runs of hex digits (a leak of any part of it). */
function hexChunks(key: string): string[] {
  const chunks: string[] = [];
  for (const run of hexOf(key).match(/[0-9a-f]+/g) ?? []) for (let i = 0; i + 16 <= run.length; i++) chunks.push(run.slice(i, i + 16));
  return chunks;
}

function expectNoChunkOf(key: string, text: string, where: string): void {
  const lower = text.toLowerCase();
  const leaked = hexChunks(key).filter((chunk) => lower.includes(chunk));
  expect(leaked, `${where} contains part of the private key`).toEqual([]);
}

function expectKeyAbsent(text: string | Buffer, where: string): void {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  const lower = buffer.toString('latin1').toLowerCase();
  expect(lower.includes(hexOf(KEY)), `${where} contains the private key (hex)`).toBe(false);
  expect(buffer.includes(Buffer.from(hexOf(KEY), 'hex')), `${where} contains the private key (raw bytes)`).toBe(false);
  expect(buffer.toString('latin1').includes(Buffer.from(hexOf(KEY), 'hex').toString('base64')), `${where} contains the private key (base64)`).toBe(false);
}

/** A V3 request's parameters: nonce 16 digits (µs), signer, a 65-byte 0x signature. */
function expectV3Signed(request: LoggedRequest, signer = SIGNER): void {
  expect(request.query.get('nonce')).toMatch(/^\d{16}$/);
  expect(request.query.get('signer')?.toLowerCase()).toBe(signer.toLowerCase());
  expect(request.query.get('signature')).toMatch(/^0x[0-9a-fA-F]{130}$/);
  expect(request.query.has('timestamp')).toBe(false);
}

/** A recording HTTP proxy in front of the fake exchange, to see request methods and headers. */
interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

async function recordingProxy(target: string): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, headers: req.headers });
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function stop(child: ChildProcess, timeoutMs = 15_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit within ${timeoutMs} ms of SIGTERM`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

describe('V3 API wallet on the spot account', () => {
  it('signs GET /api/v3/account with nonce (µs), signer and signature, no API-key header, and raises the portfolio event', async () => {
    exchange.addWallet(SIGNER, { balances: SPOT });
    const proxy = await recordingProxy(exchange.url);
    const config = writeConfig(`monitors:\n  - name: wallet\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n`);
    const before = Date.now();
    const result = await check(config, { ASTER_BASE_URL: proxy.url, ASTER_FUTURES_URL: proxy.url });
    const after = Date.now();
    expect(result.code, result.stderr).toBe(0);

    const [event, ...rest] = events(result.stdout);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'asterex.portfolio.condition_met',
      source: 'asterwatch/monitors/wallet',
      data: { current_value: '$61,000.00', condition: '> 100', account: 'spot', monitor: 'wallet', values: { current_value: 61000 } },
    });

    // Exactly one signed spot account read, V3 only.
    const reads = requestsTo('/api/v3/account');
    expect(reads).toHaveLength(1);
    expect(exchange.count('/api/v1/account')).toBe(0);
    expectV3Signed(reads[0]!);
    const nonce = Number(reads[0]!.query.get('nonce'));
    expect(nonce).toBeGreaterThanOrEqual((before - 10_000) * 1000);
    expect(nonce).toBeLessThanOrEqual((after + 10_000) * 1000);
    const seen = proxy.seen.filter((s) => s.path === '/api/v3/account');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.headers['x-mbx-apikey']).toBeUndefined();
    expectKeyAbsent(result.stdout + result.stderr, 'check output');
  });
});

describe('futures account portfolio', () => {
  const futures = { totalMarginBalance: '12345.67', totalWalletBalance: '12000', totalUnrealizedProfit: '345.67' };

  it.each([
    {
      kind: 'V1 (api_key/api_secret)',
      endpoint: '/fapi/v4/account',
      others: ['/fapi/v3/accountWithJoinMargin', '/api/v1/account', '/api/v3/account'],
      credentials: '    api_key: ${KEY}\n    api_secret: ${SECRET}\n',
    },
    {
      kind: 'V3 (signer/private_key)',
      endpoint: '/fapi/v3/accountWithJoinMargin',
      others: ['/fapi/v4/account', '/api/v1/account', '/api/v3/account'],
      credentials: v3(),
    },
  ])(
    '$kind: the value is totalMarginBalance from $endpoint, data.account is futures; a change condition warns once on the first check',
    async ({ endpoint, others, credentials }) => {
      exchange.accounts.set('fut-key', { secret: 'fut-secret-0123456789', balances: [{ asset: 'USDT', free: '999', locked: '0' }], futures });
      exchange.addWallet(SIGNER, { balances: [{ asset: 'USDT', free: '999', locked: '0' }], futures });
      const config = writeConfig(
        'monitors:\n' +
          `  - name: perps-level\n    monitoring_mode: portfolio\n    account: futures\n${credentials}    portfolio_condition: "> 100"\n` +
          `  - name: perps-change\n    monitoring_mode: portfolio\n    account: futures\n${credentials}    portfolio_condition: ">> 5%"\n`,
      );
      const result = await check(config, { KEY: 'fut-key', SECRET: 'fut-secret-0123456789' });
      expect(result.code, result.stderr).toBe(0);

      const all = events(result.stdout);
      expect(all.map((e) => e.source)).toEqual(['asterwatch/monitors/perps-level']);
      expect(all[0]).toMatchObject({
        type: 'asterex.portfolio.condition_met',
        data: { current_value: '$12,345.67', account: 'futures', monitor: 'perps-level', values: { current_value: 12345.67 } },
      });

      expect(exchange.count(endpoint)).toBe(1);
      for (const other of others) expect(exchange.count(other), other).toBe(0);
      if (endpoint.startsWith('/fapi/v3/')) expectV3Signed(requestsTo(endpoint)[0]!);

      // No 24 h baseline for a futures account on the first check: not evaluable, said once as a warning.
      const warnings = logs(result.stderr).filter((l) => l.level === 40 && l.monitor === 'perps-change');
      expect(warnings, result.stderr).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/24 ?h|baseline/i);
      expect(logs(result.stderr).filter((l) => l.level >= 50)).toEqual([]);
      expect(result.stderr).not.toContain('fut-secret-0123456789');
      expectKeyAbsent(result.stdout + result.stderr, 'check output');
    },
  );
});

describe('positions mode', () => {
  it('one-way mode: one subject per open position named SYMBOL, the spec data fields, liquidation_price null for "0" (not evaluable for liquidation_distance)', async () => {
    exchange.addWallet(SIGNER, {
      balances: [],
      futures: { totalMarginBalance: '10000' },
      positions: [
        position({
          symbol: 'BTCUSDT',
          positionAmt: '0.5',
          entryPrice: '59000',
          markPrice: '60000',
          liquidationPrice: '57600', // 4 % away
          unRealizedProfit: '500',
          leverage: '10',
          marginType: 'cross',
        }),
        position({
          symbol: 'ETHUSDT',
          positionAmt: '-2',
          entryPrice: '3000',
          markPrice: '3025',
          liquidationPrice: '0', // none
          unRealizedProfit: '-50',
          leverage: '5',
          marginType: 'isolated',
        }),
        position({ symbol: 'SOLUSDT', positionAmt: '0', markPrice: '150', liquidationPrice: '149' }), // closed: no subject
      ],
    });
    const config = writeConfig(
      'monitors:\n' +
        `  - name: liq\n    monitoring_mode: positions\n${v3()}` + // defaults: liquidation_distance, "<< 10"
        `  - name: pnl\n    monitoring_mode: positions\n${v3()}    measure: unrealized_pnl\n    condition: "< 1000"\n    symbols: [ETHUSDT]\n` +
        `  - name: roe\n    monitoring_mode: positions\n${v3()}    measure: roe\n    condition: "< -1"\n    check_interval: 60\n`,
    );
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    const all = events(result.stdout);
    for (const event of all) expect(event.type).toBe('asterex.positions.condition_met');

    const liq = all.filter((e) => e.source === 'asterwatch/monitors/liq');
    expect(liq.map((e) => e.subject)).toEqual(['BTCUSDT']); // ETHUSDT not evaluable, SOLUSDT closed
    expect(liq[0]!.data).toMatchObject({
      symbol: 'BTCUSDT',
      position_side: 'BOTH',
      position_amount: 0.5,
      entry_price: 59000,
      mark_price: 60000,
      liquidation_price: 57600,
      unrealized_pnl: 500,
      leverage: 10,
      margin_type: 'cross',
      measure: 'liquidation_distance',
      previous_value: null,
      condition: '<< 10',
      monitor: 'liq',
      severity: 0.5,
      severity_label: 'high',
    });
    expect(liq[0]!.data.value as number).toBeCloseTo(4, 6);
    const notEvaluable = logs(result.stderr).filter((l) => l.monitor === 'liq' && l.level >= 40 && l.msg.includes('ETHUSDT'));
    expect(notEvaluable, result.stderr).toHaveLength(1);

    // symbols: [ETHUSDT] keeps BTCUSDT out even though its PnL (|500|) is below 1000 too.
    const pnl = all.filter((e) => e.source === 'asterwatch/monitors/pnl');
    expect(pnl.map((e) => e.subject)).toEqual(['ETHUSDT']);
    expect(pnl[0]!.data).toMatchObject({
      symbol: 'ETHUSDT',
      position_side: 'BOTH',
      position_amount: -2,
      entry_price: 3000,
      mark_price: 3025,
      liquidation_price: null,
      unrealized_pnl: -50,
      leverage: 5,
      margin_type: 'isolated',
      measure: 'unrealized_pnl',
      value: -50,
      condition: '< 1000',
      monitor: 'pnl',
    });

    // roe = 100 × -50 / (2 × 3000 / 5) = -4.1667 %; BTCUSDT's is positive.
    const roe = all.filter((e) => e.source === 'asterwatch/monitors/roe');
    expect(roe.map((e) => e.subject)).toEqual(['ETHUSDT']);
    expect(roe[0]!.data.measure).toBe('roe');
    expect(roe[0]!.data.value as number).toBeCloseTo(-4.16667, 3);

    // One positions read for the three monitors on the wallet.
    expect(exchange.count('/fapi/v3/positionRisk')).toBe(1);
    expect(exchange.count('/fapi/v2/positionRisk')).toBe(0);
    expectV3Signed(requestsTo('/fapi/v3/positionRisk')[0]!);
  });

  it('hedge mode: subjects SYMBOL:LONG and SYMBOL:SHORT, position_side LONG/SHORT, a flat side has no subject', async () => {
    exchange.addWallet(SIGNER, {
      balances: [],
      futures: { totalMarginBalance: '10000' },
      positions: [
        position({ symbol: 'BTCUSDT', positionSide: 'LONG', positionAmt: '0.3', entryPrice: '61000', markPrice: '60000', liquidationPrice: '56400' }), // 6 %
        position({ symbol: 'BTCUSDT', positionSide: 'SHORT', positionAmt: '-0.2', entryPrice: '59000', markPrice: '60000', liquidationPrice: '63000' }), // 5 %
        position({ symbol: 'ETHUSDT', positionSide: 'LONG', positionAmt: '0', markPrice: '3000', liquidationPrice: '2990' }), // flat
        position({ symbol: 'ETHUSDT', positionSide: 'SHORT', positionAmt: '-1', markPrice: '3000', liquidationPrice: '3600' }), // 20 %
      ],
    });
    const config = writeConfig(
      `monitors:\n  - name: hedge\n    monitoring_mode: positions\n${v3()}    measure: liquidation_distance\n    condition: "<< 10"\n`,
    );
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    const all = events(result.stdout);
    expect(all.map((e) => e.subject).sort()).toEqual(['BTCUSDT:LONG', 'BTCUSDT:SHORT']);
    const long = all.find((e) => e.subject === 'BTCUSDT:LONG')!;
    const short = all.find((e) => e.subject === 'BTCUSDT:SHORT')!;
    expect(long.data).toMatchObject({ symbol: 'BTCUSDT', position_side: 'LONG', position_amount: 0.3, liquidation_price: 56400, monitor: 'hedge' });
    expect(long.data.value as number).toBeCloseTo(6, 6);
    expect(short.data).toMatchObject({ symbol: 'BTCUSDT', position_side: 'SHORT', position_amount: -0.2, liquidation_price: 63000, monitor: 'hedge' });
    expect(short.data.value as number).toBeCloseTo(5, 6);
  });

  it('severity of a level condition follows the portfolio level rule: << 10 at 2 % critical, 4 % high, 7 % medium, 9 % low', async () => {
    exchange.addWallet(SIGNER, {
      balances: [],
      futures: { totalMarginBalance: '10000' },
      positions: [
        position({ symbol: 'BTCUSDT', markPrice: '100', liquidationPrice: '98' }),
        position({ symbol: 'ETHUSDT', markPrice: '100', liquidationPrice: '96' }),
        position({ symbol: 'SOLUSDT', markPrice: '100', liquidationPrice: '93' }),
        position({ symbol: 'XRPUSDT', markPrice: '100', liquidationPrice: '91' }),
      ],
    });
    const config = writeConfig(`monitors:\n  - name: sev\n    monitoring_mode: positions\n${v3()}`);
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    const bySubject = Object.fromEntries(events(result.stdout).map((e) => [e.subject, e.data.severity_label]));
    expect(bySubject).toEqual({ BTCUSDT: 'critical', ETHUSDT: 'high', SOLUSDT: 'medium', XRPUSDT: 'low' });
  });

  it('a once-condition fires on the edge only, and a position that closes and reopens starts fresh (separate checks, one state file)', async () => {
    const open = position({ symbol: 'BTCUSDT', positionAmt: '0.5', entryPrice: '59000', markPrice: '60000', liquidationPrice: '57600' }); // 4 %
    const wallet = { balances: [], futures: { totalMarginBalance: '10000' }, positions: [open] };
    exchange.addWallet(SIGNER, wallet);
    const config = writeConfig(`monitors:\n  - name: fresh\n    monitoring_mode: positions\n${v3()}    condition: "<< 10"\n`);

    const first = await check(config);
    expect(first.code, first.stderr).toBe(0);
    expect(events(first.stdout).map((e) => e.subject)).toEqual(['BTCUSDT']);

    const second = await check(config); // same position, still within 10 %: once means once
    expect(second.code, second.stderr).toBe(0);
    expect(events(second.stdout)).toEqual([]);

    wallet.positions = []; // closed
    const third = await check(config);
    expect(third.code, third.stderr).toBe(0);
    expect(events(third.stdout)).toEqual([]);

    wallet.positions = [{ ...open }]; // reopened at 4 %
    const fourth = await check(config);
    expect(fourth.code, fourth.stderr).toBe(0);
    const again = events(fourth.stdout);
    expect(again.map((e) => e.subject)).toEqual(['BTCUSDT']);
    expect(again[0]!.data.previous_value).toBeNull(); // its state was dropped when it closed
    expect(again[0]!.data.value as number).toBeCloseTo(4, 6);
  }, 90_000);
});

describe('one read per account per endpoint per round', () => {
  it('several futures portfolio and positions monitors on one wallet make one accountWithJoinMargin and one positionRisk request', async () => {
    exchange.addWallet(SIGNER, {
      balances: SPOT,
      futures: { totalMarginBalance: '5000' },
      positions: [position({ symbol: 'BTCUSDT', positionAmt: '0.1', markPrice: '60000', liquidationPrice: '57600', unRealizedProfit: '-20' })],
    });
    const config = writeConfig(
      'monitors:\n' +
        `  - name: f1\n    monitoring_mode: portfolio\n    account: futures\n${v3()}    portfolio_condition: "> 100"\n` +
        `  - name: f2\n    monitoring_mode: portfolio\n    account: futures\n${v3()}    portfolio_condition: "> 200"\n` +
        `  - name: f3\n    monitoring_mode: portfolio\n    account: futures\n${v3()}    portfolio_condition: "< 1000000"\n` +
        `  - name: p1\n    monitoring_mode: positions\n${v3()}` +
        `  - name: p2\n    monitoring_mode: positions\n${v3()}    measure: unrealized_pnl\n    condition: "< -1"\n` +
        `  - name: p3\n    monitoring_mode: positions\n${v3()}    measure: roe\n    condition: "< -1"\n    symbols: [BTCUSDT]\n` +
        `  - name: s1\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n` +
        `  - name: s2\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 200"\n`,
    );
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    expect(
      events(result.stdout)
        .map((e) => e.source.replace('asterwatch/monitors/', ''))
        .sort(),
    ).toEqual(['f1', 'f2', 'f3', 'p1', 'p2', 'p3', 's1', 's2']);
    expect(exchange.count('/fapi/v3/accountWithJoinMargin')).toBe(1);
    expect(exchange.count('/fapi/v3/positionRisk')).toBe(1);
    expect(exchange.count('/api/v3/account')).toBe(1);
  });
});

describe('authentication', () => {
  it('a wallet whose key matches its signer but that the exchange does not know: exit 2, an authentication error, not retried, the key nowhere', async () => {
    const key = generatePrivateKey();
    const signer = privateKeyToAddress(key);
    const config = writeConfig(`monitors:\n  - name: stranger\n    monitoring_mode: portfolio\n${v3(signer, 'OTHER_KEY')}    portfolio_condition: "> 1"\n`);
    const result = await check(config, { OTHER_KEY: key });
    expect(result.code, result.stderr).toBe(2);
    expect(events(result.stdout)).toEqual([]);
    expect(result.stderr).toMatch(/EXCHANGE_AUTH|authenticat|refused the API wallet's signature|-2015/i);
    expect(result.stderr).toContain('stranger');
    expect(exchange.count('/api/v3/account')).toBe(1); // an authentication error is not retried
    expect((result.stdout + result.stderr).toLowerCase()).not.toContain(hexOf(key));
    expectNoChunkOf(key, result.stdout + result.stderr, 'check output');
  });
});

describe('configuration errors (validate --offline, exit 1)', () => {
  const validate = async (yaml: string, extra: NodeJS.ProcessEnv = {}) => {
    const config = writeConfig(yaml);
    const result = await runCli(['validate', '--config', config, '--offline'], { env: { ...env, ...extra } });
    expect(result.code, result.stderr).toBe(1);
    return { config, result };
  };
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('both kinds of credentials', async () => {
    const { config, result } = await validate(
      `monitors:\n  - name: both\n    monitoring_mode: portfolio\n    api_key: abc\n    api_secret: def\n    signer: "${SIGNER}"\n    private_key: "${KEY}"\n`,
    );
    expect(result.stderr).toMatch(
      new RegExp(`${escape(config)}:\\d+:\\d+: monitors\\[0\\](\\.(api_key|api_secret|signer|private_key))?: .*(both|one kind)`, 'i'),
    );
    expectNoChunkOf(KEY, result.stdout + result.stderr, 'validate output');
  });

  it.each([{ kind: 'portfolio' }, { kind: 'positions' }])('a signer without private_key ($kind) names the missing field', async ({ kind }) => {
    const { config, result } = await validate(`monitors:\n  - name: half\n    monitoring_mode: ${kind}\n    signer: "${SIGNER}"\n`);
    expect(result.stderr).toMatch(new RegExp(`${escape(config)}:\\d+:\\d+: monitors\\[0\\](\\.\\w+)?: .*private_key`));
  });

  it('a private_key without signer names the missing field', async () => {
    const { config, result } = await validate(`monitors:\n  - name: half\n    monitoring_mode: portfolio\n    private_key: "${KEY}"\n`);
    expect(result.stderr).toMatch(new RegExp(`${escape(config)}:\\d+:\\d+: monitors\\[0\\](\\.\\w+)?: .*signer`));
    expectNoChunkOf(KEY, result.stdout + result.stderr, 'validate output');
  });

  it.each([
    { what: 'one byte short', key: KEY.slice(0, -2) },
    { what: 'one byte long', key: `${KEY}ab` },
    { what: 'not hex', key: `0xzz${KEY.slice(4)}` },
    { what: 'no hex at all after 0x', key: `0x${'q'.repeat(64)}` },
  ])('a malformed private key ($what) is named at its line and column, never printed', async ({ key }) => {
    const { config, result } = await validate(
      `monitors:\n  - name: bad-key\n    monitoring_mode: portfolio\n    signer: "${SIGNER}"\n    private_key: "${key}"\n`,
    );
    expect(result.stderr).toMatch(new RegExp(`${escape(config)}:5:\\d+: monitors\\[0\\]\\.private_key: `));
    expect(result.stderr.toLowerCase()).not.toContain(hexOf(key));
    expectNoChunkOf(key, result.stdout + result.stderr, 'validate output');
  });

  it('a malformed private key from ${VAR} is named at the field, never printed', async () => {
    const key = KEY.slice(0, -1);
    const { config, result } = await validate(`monitors:\n  - name: bad-key\n    monitoring_mode: positions\n${v3(SIGNER, 'BAD_KEY')}`, { BAD_KEY: key });
    expect(result.stderr).toMatch(new RegExp(`${escape(config)}:5:\\d+: monitors\\[0\\]\\.private_key: `));
    expectNoChunkOf(key, result.stdout + result.stderr, 'validate output');
  });

  it.each([
    { where: 'literally in the file', inline: true },
    { where: 'from ${VAR}', inline: false },
  ])('a private key whose address is not the signer ($where)', async ({ inline }) => {
    const key = generatePrivateKey();
    const yaml = inline
      ? `monitors:\n  - name: mismatch\n    monitoring_mode: portfolio\n    signer: "${SIGNER}"\n    private_key: "${key}"\n`
      : `monitors:\n  - name: mismatch\n    monitoring_mode: portfolio\n${v3(SIGNER, 'WRONG_KEY')}`;
    const { config, result } = await validate(yaml, { WRONG_KEY: key });
    expect(result.stderr).toMatch(new RegExp(`${escape(config)}:\\d+:\\d+: monitors\\[0\\]\\.(private_key|signer): .*(signer|address)`, 'i'));
    expect(result.stderr.toLowerCase()).not.toContain(hexOf(key));
    expectNoChunkOf(key, result.stdout + result.stderr, 'validate output');
  });

  it('lists every credential problem of a file at once, each with file:line:col', async () => {
    const { config, result } = await validate(
      'monitors:\n' +
        `  - name: both\n    monitoring_mode: portfolio\n    api_key: abc\n    api_secret: def\n${v3()}` +
        `  - name: half\n    monitoring_mode: portfolio\n    signer: "${SIGNER}"\n` +
        `  - name: short\n    monitoring_mode: positions\n    signer: "${SIGNER}"\n    private_key: "${KEY.slice(0, 40)}"\n` +
        `  - name: mismatch\n    monitoring_mode: portfolio\n    account: futures\n${v3(SIGNER, 'WRONG_KEY')}`,
      { WRONG_KEY: generatePrivateKey() },
    );
    for (const index of [0, 1, 2, 3]) expect(result.stderr).toMatch(new RegExp(`${escape(config)}:\\d+:\\d+: monitors\\[${index}\\]`));
    expect(result.stderr).toMatch(/4 configuration errors/);
    expectNoChunkOf(KEY, result.stdout + result.stderr, 'validate output');
  });
});

describe('clock skew', () => {
  it.each([20_000, -20_000])('the exchange clock %i ms off: the check succeeds and every nonce is within 10 s of the exchange clock', async (offset) => {
    exchange.clockOffsetMs = offset;
    exchange.addWallet(SIGNER, {
      balances: SPOT,
      futures: { totalMarginBalance: '5000' },
      positions: [position({ symbol: 'BTCUSDT', markPrice: '60000', liquidationPrice: '57600' })],
    });
    const config = writeConfig(
      'monitors:\n' +
        `  - name: spot\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n` +
        `  - name: perps\n    monitoring_mode: positions\n${v3()}`,
    );
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    expect(
      events(result.stdout)
        .map((e) => e.source)
        .sort(),
    ).toEqual(['asterwatch/monitors/perps', 'asterwatch/monitors/spot']);
    const signed = exchange.requests.filter((r) => ['/api/v3/account', '/fapi/v3/positionRisk'].includes(r.path));
    expect(signed.map((r) => r.path).sort()).toEqual(['/api/v3/account', '/fapi/v3/positionRisk']); // none refused and retried
    for (const request of signed) {
      const nonceMs = Number(request.query.get('nonce')) / 1000;
      expect(Math.abs(nonceMs - (request.at + offset)), `${request.path} nonce vs the exchange clock`).toBeLessThan(10_000);
    }
  });
});

describe('a refused nonce', () => {
  it.each([
    { code: -4225, msg: 'Nonce Expired' },
    { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  ])('one refusal ($code): resynchronise, retry once with a fresh larger nonce, the check succeeds', async (refusal) => {
    exchange.addWallet(SIGNER, { balances: SPOT });
    exchange.faults.set('/api/v3/account', [{ status: 400, body: refusal }]);
    const config = writeConfig(`monitors:\n  - name: retry\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n`);
    const result = await check(config);
    expect(result.code, result.stderr).toBe(0);
    expect(events(result.stdout).map((e) => e.data.current_value)).toEqual(['$61,000.00']);
    const reads = requestsTo('/api/v3/account');
    expect(reads).toHaveLength(2);
    const [first, second] = reads.map((r) => BigInt(r.query.get('nonce') ?? '0'));
    expect(second).not.toBe(first);
    expect(second! > first!).toBe(true);
    expectV3Signed(reads[1]!);
    // Resynchronised with the server time between the refusal and the retry.
    const firstAt = exchange.requests.indexOf(reads[0]!);
    const secondAt = exchange.requests.indexOf(reads[1]!);
    const between = exchange.requests.slice(firstAt + 1, secondAt).map((r) => r.path);
    expect(between).toContain('/api/v1/time');
  });

  it('two refusals in a row: the check fails (exit 2) after one retry, no endless retries', async () => {
    exchange.addWallet(SIGNER, { balances: SPOT });
    const refusal = { status: 400, body: { code: -4225, msg: 'Nonce Expired' } };
    exchange.faults.set('/api/v3/account', [refusal, refusal, refusal, refusal]);
    const config = writeConfig(`monitors:\n  - name: retry\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n`);
    const result = await check(config);
    expect(result.code, result.stderr).toBe(2);
    expect(events(result.stdout)).toEqual([]);
    expect(exchange.count('/api/v3/account')).toBe(2);
    expectKeyAbsent(result.stdout + result.stderr, 'check output');
  });
});

describe('the private key is a secret', () => {
  it('appears nowhere: stdout, stderr, files in the state directory (state db and WAL as bytes), /api/monitors, /api/events, /metrics, the dashboard', async () => {
    exchange.addWallet(SIGNER, {
      balances: SPOT,
      futures: { totalMarginBalance: '5000' },
      positions: [position({ symbol: 'BTCUSDT', positionAmt: '0.5', markPrice: '60000', liquidationPrice: '57600', unRealizedProfit: '12' })],
    });
    const config = writeConfig(
      'monitors:\n' +
        `  - name: spot\n    monitoring_mode: portfolio\n${v3()}    portfolio_condition: "> 100"\n    check_interval: 3600\n` +
        `  - name: perps-value\n    monitoring_mode: portfolio\n    account: futures\n${v3()}    portfolio_condition: "> 100"\n    check_interval: 3600\n` +
        `  - name: perps\n    monitoring_mode: positions\n${v3()}    check_interval: 3600\n`,
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = startCli(['run', '--config', config, '--http', `127.0.0.1:${port}`], { env: { ...env, LOG_LEVEL: 'trace' } });
    cleanups.push(async () => {
      if (service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    });
    const stdout = new LineCollector(service.stdout!);
    const stderr = new LineCollector(service.stderr!);
    await stderr.waitFor((line) => line.includes('HTTP surface listening'), 20_000);
    await waitUntil(() => stdout.lines.filter((l) => l.includes('condition_met')).length >= 3, 20_000, 'three events on stdout');

    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
      expect(response.status, path).toBe(200);
      return response.text();
    };
    // The events are in the database before the API is searched.
    const deadline = Date.now() + 15_000;
    let eventsBody = await get('/api/events?limit=500');
    while ((JSON.parse(eventsBody) as { events: unknown[] }).events.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      eventsBody = await get('/api/events?limit=500');
    }
    expect((JSON.parse(eventsBody) as { events: unknown[] }).events).toHaveLength(3);
    const monitorsBody = await get('/api/monitors');
    expect(monitorsBody).toContain('perps');
    const pages: Record<string, string> = {
      '/api/monitors': monitorsBody,
      '/api/events': eventsBody,
      '/metrics': await get('/metrics'),
      '/': await get('/'),
    };
    for (const [path, body] of Object.entries(pages)) expectKeyAbsent(body, `GET ${path}`);

    const scanDir = (label: string) => {
      const files: string[] = [];
      const walk = (at: string) => {
        for (const name of readdirSync(at)) {
          const path = join(at, name);
          if (statSync(path).isDirectory()) walk(path);
          else files.push(path);
        }
      };
      walk(dir);
      for (const file of files) expectKeyAbsent(readFileSync(file), `${label}: ${file}`);
      return files;
    };
    const whileRunning = scanDir('while running');
    expect(whileRunning).toContain(join(dir, 'state.db'));

    expect(await stop(service)).toBe(0);
    scanDir('after exit');
    expectKeyAbsent(stdout.lines.join('\n'), 'stdout');
    expectKeyAbsent(stderr.lines.join('\n'), 'stderr');
    expect(stderr.lines.length).toBeGreaterThan(0);
  }, 90_000);
});
