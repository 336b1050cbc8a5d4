/**
 * Every `bulkhead` command by id, for oclif's `explicit` command discovery (package.json
 * `oclif.commands`). The binary runs from one bundle (scripts/bundle.mjs); each getter loads its
 * command's module only when oclif asks for that command, so `bulkhead rules list` never loads
 * what `bulkhead audit` needs.
 */
import type { Command } from '@oclif/core';

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
