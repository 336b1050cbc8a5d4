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

export { execute, settings } from '@oclif/core';
