/**
 * The binary finds commands through src/commands.ts (oclif's `explicit` discovery, so that it can
 * run from one bundle). A command file that is not listed there would silently not exist.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../src/commands.js';

function commandIds(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? commandIds(path.join(dir, e.name), `${prefix}${e.name}:`)
      : e.name.endsWith('.ts')
        ? [`${prefix}${e.name.replace(/\.ts$/, '')}`]
        : [],
  );
}

describe('the command index', () => {
  it('lists every command file under src/commands, by its oclif id', () => {
    const files = commandIds(path.join(__dirname, '../src/commands')).sort();
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(COMMANDS).sort()).toEqual(files);
  });
  it('gives, for an id, the class its file exports', () => {
    const id = 'rules:list';
    const cmd = COMMANDS[id]!;
    expect(typeof cmd.run).toBe('function');
    expect(cmd).toBe(require('../src/commands/rules/list.js').default);
  });
});
