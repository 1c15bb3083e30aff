import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODES, ModeRegistry } from '../../src/modes/registry.js';
import { constantMode } from '../support/constant-mode.js';

describe('the mode registry', () => {
  it('lists every folder of src/modes/ (a mode is one folder and one line in the registry)', () => {
    const folders = readdirSync(new URL('../../src/modes/', import.meta.url), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(BUILT_IN_MODES.map((m) => m.name).sort());
  });

  it('refuses a second mode with the same name or event type', () => {
    const registry = new ModeRegistry().register(constantMode);
    expect(() => registry.register(constantMode)).toThrow(/already registered/);
    expect(() => registry.register({ ...constantMode, name: 'other' })).toThrow(/already belongs to mode "constant"/);
  });

  it('finds a mode by name without reading inherited properties', () => {
    expect(new ModeRegistry().get('constructor')).toBeUndefined();
    expect(new ModeRegistry().get('market')?.name).toBe('market');
  });
});
