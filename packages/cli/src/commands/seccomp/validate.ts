import { escapeTerminal as t, validateSeccompProfile } from '@bulkhead/core';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../lib/base.js';
import { EXIT, UserError } from '../../lib/exit.js';
import { readInputText } from '../../lib/files.js';
import { formatFlags } from '../../lib/flags.js';

/** Result of `seccomp validate --format json`. */
export interface SeccompValidation {
  file: string;
  ok: boolean;
  errors: { path: string; message: string }[];
  /** Calls the profile allows that Docker's default keeps for containers holding a capability. */
  dangerous: { path: string; message: string }[];
}

/** `bulkhead seccomp validate FILE`: check a profile against Docker's seccomp format. */
export default class SeccompValidate extends BaseCommand {
  static override summary = "Check a seccomp profile against Docker's format and Bulkhead's safety checks.";
  static override description =
    'Exit 0 when valid, 1 when the profile is invalid (each error names its JSON path) or allows a call ' +
    "Docker's default profile keeps for containers holding a capability (mount, unshare, ptrace…), 2 when the " +
    'file cannot be read or is not JSON.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> seccomp validate seccomp.json'];
  static override flags = formatFlags('text', 'Output format.');
  static override args = { file: Args.string({ required: true, description: 'Profile JSON file.' }) };

  async run(): Promise<SeccompValidation> {
    const { args } = await this.parse(SeccompValidate);
    const text = await readInputText(args.file, 'seccomp profile');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new UserError(
        `seccomp profile ${args.file} is not JSON: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
    const result = validateSeccompProfile(data);
    if (result.ok) {
      const dangerous = result.warnings
        .filter((w) => w.kind === 'dangerous')
        .map((w) => ({ path: w.path, message: w.message }));
      for (const w of result.warnings) {
        if (w.kind !== 'dangerous') this.logToStderr(`warning: ${t(w.path || '(root)')}: ${t(w.message)}`);
      }
      if (dangerous.length > 0) {
        this.logToStderr(
          `${t(args.file)}: valid format, but it allows ${dangerous.length} call${dangerous.length === 1 ? '' : 's'} ` +
            "Docker's default profile keeps for containers holding a capability",
        );
        for (const d of dangerous) this.logToStderr(`  ${t(d.path)}: ${t(d.message)}`);
        process.exitCode = EXIT.findings;
      } else {
        this.log(`${t(args.file)}: valid seccomp profile`);
      }
      return { file: args.file, ok: true, errors: [], dangerous };
    }
    this.logToStderr(`${t(args.file)}: invalid seccomp profile`);
    for (const e of result.errors) this.logToStderr(`  ${t(e.path || '(root)')}: ${t(e.message)}`);
    process.exitCode = EXIT.findings;
    return { file: args.file, ok: false, errors: result.errors, dangerous: [] };
  }
}
