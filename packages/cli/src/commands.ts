/**
 * Every `bulkhead` command by id, for oclif's `explicit` command discovery (package.json
 * `oclif.commands`). The binary runs from one bundle (scripts/bundle.mjs); each getter loads its
 * command's module only when oclif asks for that command, so `bulkhead rules list` never loads
 * what `bulkhead audit` needs.
 */
import type { Command, Hook } from '@oclif/core';

type CommandModule = { default: Command.Class };

// `require` inside the getters, not `import` at the top: a static import would load every
// command (and its dependencies) on start-up.
const load = (m: CommandModule): Command.Class => m.default;

export const COMMANDS: Record<string, Command.Class> = {
  get audit() {
    return load(require('./commands/audit.js'));
  },
  get drift() {
    return load(require('./commands/drift.js'));
  },
  get fix() {
    return load(require('./commands/fix.js'));
  },
  get init() {
    return load(require('./commands/init.js'));
  },
  get validate() {
    return load(require('./commands/validate.js'));
  },
  get 'rules:explain'() {
    return load(require('./commands/rules/explain.js'));
  },
  get 'rules:list'() {
    return load(require('./commands/rules/list.js'));
  },
  get 'seccomp:generate'() {
    return load(require('./commands/seccomp/generate.js'));
  },
  get 'seccomp:learn'() {
    return load(require('./commands/seccomp/learn.js'));
  },
  get 'seccomp:validate'() {
    return load(require('./commands/seccomp/validate.js'));
  },
};

export { execute, flush, handle, run, settings } from '@oclif/core';

/**
 * Errors raised before a command runs (an unknown command echoes its name) escaped for the
 * terminal like every command's own errors; loaded only on that path.
 */
export function terminalSafeError(error: unknown): unknown {
  const { Errors } = require('@oclif/core') as typeof import('@oclif/core');
  if (!(error instanceof Errors.CLIError) || error instanceof Errors.ExitError) return error;
  const { oneLine } = require('./lib/base.js') as typeof import('./lib/base.js');
  return oneLine(error);
}

/**
 * oclif's `command_not_found` hook (package.json `oclif.hooks`): a mistyped command exits 2, as
 * bad usage does, with the command (or topic) closest to what was typed, also when the typo is in
 * the second word (`rules lst`, `rule list`). Not `@oclif/plugin-not-found`: it exits 127, names
 * no command when stdin is not a terminal (CI logs) and, on one, asks to run its guess.
 */
export const commandNotFound: Hook.CommandNotFound = async (opts) => {
  const { Errors, toConfiguredId } = require('@oclif/core') as typeof import('@oclif/core');
  const { closest, distance } = require('./lib/suggest.js') as typeof import('./lib/suggest.js');
  const { EXIT } = require('./lib/exit.js') as typeof import('./lib/exit.js');
  const { config } = opts;
  const commands = config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const candidates = [...commands, ...config.topics.filter((t) => !t.hidden).map((t) => t.name)];
  // oclif joins the words typed before the first flag into the id (`validte:x.yaml`): try each
  // leading part of it, and the id with the next argument.
  const words = opts.id.split(':');
  const next = opts.argv?.[0];
  const typed = words.map((_, i) => words.slice(0, i + 1).join(':'));
  if (next && !next.startsWith('-')) typed.push(`${opts.id}:${next}`);
  let best: { typed: string; id: string; edits: number } | undefined;
  for (const t of typed) {
    // A part that names a topic or command as typed is not the typo; on a tie, the longer part.
    for (const id of closest(t, candidates, 2)
      .filter((c) => c !== t)
      .slice(0, 1)) {
      const edits = distance(t.toLowerCase(), id.toLowerCase());
      if (!best || edits <= best.edits) best = { typed: t, id, edits };
    }
  }
  const shown = toConfiguredId(best?.typed ?? opts.id, config);
  const guess = best ? toConfiguredId(best.id, config) : undefined;
  throw new Errors.CLIError(`command ${shown} not found${guess ? `; did you mean "${guess}"?` : ''}`, {
    exit: EXIT.usage,
    suggestions: [guess ? `${config.bin} ${guess} --help` : `${config.bin} --help lists the commands`],
  });
};
