import { buildSeccompProfile, seccompToJson } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/base.js';
import { writeOutput } from '../../lib/output.js';

/** `bulkhead seccomp generate`: Docker's default allowlist, adjusted. */
export default class SeccompGenerate extends BaseCommand {
  static override summary =
    "Generate a seccomp profile: Docker's default allowlist with syscalls added or removed.";
  static override description =
    'Pass the result inline with `--security-opt seccomp=<json>` (or HardenedContainer `seccomp`), which ' +
    'also works with a remote engine.';
  static override examples = [
    '<%= config.bin %> seccomp generate --remove ptrace,personality --output seccomp.json',
    '<%= config.bin %> seccomp generate --add io_uring_setup',
  ];
  static override flags = {
    add: Flags.string({
      description: 'Syscalls to allow in addition (comma-separated; repeatable).',
      multiple: true,
      delimiter: ',',
    }),
    remove: Flags.string({
      description: 'Syscalls to deny (comma-separated; repeatable).',
      multiple: true,
      delimiter: ',',
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the profile to FILE (a regular file is replaced atomically, keeping its mode; FIFOs and devices are written through; - is standard output).',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SeccompGenerate);
    const clean = (l: string[] = []) => l.map((s) => s.trim()).filter(Boolean);
    const profile = buildSeccompProfile({ add: clean(flags.add), remove: clean(flags.remove) });
    const text = `${seccompToJson(profile)}\n`;
    await writeOutput(flags.output ?? '-', text, { what: 'profile' });
  }
}
