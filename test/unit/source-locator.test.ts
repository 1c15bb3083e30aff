import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { PACK_TEXT_FROM, SourceLocator } from '../../src/config/positions.js';
import { tuneHeapForService } from '../../src/service/heap.js';

const TEXT = ['monitors:', '  - name: first', '    monitoring_mode: market', '    monitored_assets:', '      - { asset: BTC, condition: "> 5%" }', ''].join(
  '\n',
);

describe('the source locator', () => {
  it('gives the same positions from a text it keeps deflated as from the text itself', () => {
    const plain = new SourceLocator('monitors.yaml', TEXT, Infinity);
    const packed = new SourceLocator('monitors.yaml', TEXT, 0);
    expect(packed.text).toBe(TEXT);
    for (const path of [
      ['monitors', 0, 'name'],
      ['monitors', 0, 'monitored_assets', 0, 'condition'],
      ['monitors', 0, 'nowhere'],
    ])
      expect(packed.locate(path)).toEqual(plain.locate(path));
    expect(packed.locateInValue(['monitors', 0, 'monitored_assets', 0, 'condition'], 3)).toEqual(
      plain.locateInValue(['monitors', 0, 'monitored_assets', 0, 'condition'], 3),
    );
    expect(packed.ref(['monitors', 0, 'name']).line).toBe(2);
  });

  it('keeps a text of non-ASCII characters intact', () => {
    const text = `monitors: []\n# ${'ünïcödé €✓ '.repeat(10)}\n`;
    expect(new SourceLocator('m.yaml', text, 0).text).toBe(text);
  });

  it('parses the document again when the collector has taken it', async () => {
    const { collect } = tuneHeapForService()!;
    const locator = new SourceLocator('monitors.yaml', TEXT, 0);
    expect(locator.document()).toBe(locator.document()); // within one burst, parsed once
    const first = new WeakRef(locator.document().doc);
    // WeakRefs hold until the current job ends; after it the document may be collected.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(first.deref()).toBeUndefined();
    expect(locator.locate(['monitors', 0, 'name']).line).toBe(2);
  });

  it('names the line of a problem in a large file (kept deflated)', () => {
    const filler = Array.from(
      { length: Math.ceil(PACK_TEXT_FROM / 60) },
      (_, i) => `  - { name: m${i}, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }`,
    );
    const text = ['monitors:', ...filler, '  - { name: bad, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 5 apples" }] }', ''].join(
      '\n',
    );
    expect(text.length).toBeGreaterThan(PACK_TEXT_FROM);
    let problem: { line: number; path: string } | undefined;
    try {
      parseConfig(text, 'big.yaml', {});
    } catch (error) {
      problem = (error as { problems: Array<{ line: number; path: string }> }).problems[0];
    }
    expect(problem?.line).toBe(filler.length + 2);
    expect(problem?.path).toBe(`monitors[${filler.length}].monitored_assets[0].condition`);
  });

  it('resolves references inside monitors and outside them to their own paths and lines', () => {
    const text = [
      'sinks:',
      '  hook: { type: webhook, url: "http://127.0.0.1/" }',
      'monitors:',
      '  - name: a',
      '    monitoring_mode: market',
      '  - name: b',
      '    monitoring_mode: market',
      '',
    ].join('\n');
    const locator = new SourceLocator('m.yaml', text);
    const a = locator.ref(['monitors', 0, 'name']);
    const b = locator.ref(['monitors', 1, 'name']);
    const whole = locator.ref(['monitors', 1]);
    const sink = locator.ref(['sinks', 'hook', 'url']);
    expect([a.path, a.line, b.path, b.line, whole.path, whole.line, sink.path, sink.line]).toEqual([
      'monitors[0].name',
      4,
      'monitors[1].name',
      6,
      'monitors[1]',
      6,
      'sinks.hook.url',
      2,
    ]);
  });

  it('keeps tails apart that a joined key would confuse (a key with a dot, with #, a number and its text)', () => {
    const text = [
      'monitors:',
      '  - "a.b": 1',
      '    a: { b: 2 }',
      '    "x#0": 3',
      '    x: [4]',
      '    "1": 5',
      '  - "a.b": 6',
      '    a: { b: 7 }',
      '    "x#0": 8',
      '    x: [9]',
      '    "1": 10',
      '',
    ].join('\n');
    const locator = new SourceLocator('m.yaml', text);
    const where = (path: Array<string | number>) => {
      const ref = locator.ref(path);
      return `${ref.path}@${ref.line}`;
    };
    // The first monitor registers each tail; the second must get its own, not a look-alike.
    expect([where(['monitors', 0, 'a.b']), where(['monitors', 0, 'a', 'b']), where(['monitors', 0, 'x#0']), where(['monitors', 0, 'x', 0])]).toEqual([
      'monitors[0].a.b@2',
      'monitors[0].a.b@3',
      'monitors[0].x#0@4',
      'monitors[0].x[0]@5',
    ]);
    expect([where(['monitors', 1, 'a', 'b']), where(['monitors', 1, 'a.b']), where(['monitors', 1, 'x', 0]), where(['monitors', 1, 'x#0'])]).toEqual([
      'monitors[1].a.b@8',
      'monitors[1].a.b@7',
      'monitors[1].x[0]@10',
      'monitors[1].x#0@9',
    ]);
    expect(where(['monitors', 1, 1])).not.toBe(where(['monitors', 1, '1']));
    expect(locator.ref(['monitors', -1, 'name']).path).toBe('monitors[-1].name');
    expect(locator.ref(['monitors', 1.5]).path).toBe('monitors[1.5]');
  });

  it('keeps a text with lone surrogates as it is (UTF-8 could not carry it)', () => {
    const text = `monitors: []\n# \uD800 \uDC00 ${'x'.repeat(100)}\n`;
    expect(new SourceLocator('m.yaml', text, 0).text).toBe(text);
  });
});

describe('a loaded configuration', () => {
  it("does not keep the file's text alive through the strings it kept (names, conditions)", () => {
    const { collect, heapUsed } = tuneHeapForService()!;
    const MB = 1024 * 1024;
    // 1,000 monitors with names long enough to be kept as slices, and 8 MB of comments:
    // a name sliced from js-yaml's copy of the text would keep all 8 MB.
    const load = () => {
      const lines = ['monitors:'];
      for (let i = 0; i < 1000; i++)
        lines.push(`  - { name: a-rather-long-monitor-name-${i}, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: ">> 5.123456789%" }] }`);
      lines.push(`# ${'x'.repeat(8 * MB)}`);
      return parseConfig(lines.join('\n') + '\n', 'big.yaml', {});
    };
    collect();
    const before = heapUsed();
    const config = load();
    collect();
    const kept = heapUsed() - before;
    expect(config.monitors[999]!.name).toBe('a-rather-long-monitor-name-999');
    expect(kept).toBeLessThan(4 * MB);
  });
});
