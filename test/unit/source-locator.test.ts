import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { PACK_TEXT_FROM, SourceLocator } from '../../src/config/positions.js';

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
    const locator = new SourceLocator('monitors.yaml', TEXT, 0);
    const first = locator.document();
    expect(locator.document()).toBe(first); // within one burst, parsed once
    // WeakRefs hold until the current job ends; after it the document may be collected.
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc?.();
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
});
