import { seccompToJson } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { learnSeccomp, readProfileFile, runscPath } from '../../learn/index.js';
import { learnJson, learnTable, parseCmd } from '../../learn/report.js';
import { BaseCommand } from '../../lib/base.js';
import { connect } from '../../lib/engine.js';
import { EXIT, UserError } from '../../lib/exit.js';
import { durationFlag } from '../../lib/flags.js';
import { writeOutput } from '../../lib/output.js';

/** `bulkhead seccomp learn`: a least-privilege profile learned from the workload itself. */
export default class SeccompLearn extends BaseCommand {
  static override summary = 'Learn a least-privilege seccomp profile by tracing the workload in gVisor.';
  static override description =
    'Exports the image into an OCI bundle, runs it (or --exercise) once under runsc with --strace, and writes ' +
    'a default-deny profile allowing exactly the system calls it made plus what runc needs to start it. ' +
    '--verify runs the same workload under runc with the profile and checks a call outside it fails with ' +
    'EPERM. Needs root, runsc and a Docker engine. Exit 0 learned (and verified), 1 the exercise or the ' +
    'verification failed, 2 bad usage or input, 3 the environment lacks root, runsc or the engine. A profile ' +
    'is only as complete as the exercise.';
  static override examples = [
    '<%= config.bin %> seccomp learn --image my/api:1 --exercise exercise.sh --output api.seccomp.json --verify',
    '<%= config.bin %> seccomp learn --image my/worker:1 --duration 30s -o worker.json --merge api.seccomp.json',
  ];
  static override flags = {
    image: Flags.string({ description: 'Image to learn from (must be in the engine).', required: true }),
    cmd: Flags.string({
      description: 'Command instead of the image Cmd: a JSON array, or words separated by spaces.',
    }),
    // Long enough to start a process, short enough for a timer (and a human).
    duration: durationFlag({
      name: 'duration',
      min: 100,
      max: 60 * 60 * 1000,
      default: '10s',
      description: 'Stop the run after this long',
    }),
    exercise: Flags.string({
      description: 'Shell script run as the process (with /bin/sh): starts the service and exercises it.',
      helpValue: 'FILE',
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the profile to FILE (a regular file is replaced atomically, keeping its mode; FIFOs and devices are written through; - is standard output).',
      helpValue: 'FILE',
    }),
    format: Flags.option({
      char: 'f',
      options: ['table', 'json'] as const,
      default: 'table' as const,
      description: 'Format of the report (the profile itself is always JSON).',
      aliases: ['report-format'],
      deprecateAliases: true,
    })(),
    verify: Flags.boolean({
      description: 'Run the workload under runc with the profile, and a call outside it that must get EPERM.',
      default: false,
    }),
    merge: Flags.string({
      description: 'Merge the learned profile with this profile (a union; same architecture). Repeatable.',
      multiple: true,
      helpValue: 'FILE',
    }),
    runsc: Flags.string({
      description: 'Path of runsc (default: $BULKHEAD_RUNSC or /usr/bin/runsc).',
      helpValue: 'PATH',
    }),
    'require-root': Flags.boolean({
      description: 'Refuse to run unless root (runsc needs root). --no-require-root skips the check.',
      default: true,
      allowNo: true,
    }),
    timeout: durationFlag({
      name: 'timeout',
      min: 100,
      max: 10 * 60 * 1000,
      default: '10s',
      description: 'Engine connection timeout',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SeccompLearn);
    const cmd = flags.cmd === undefined ? undefined : parseCmd(flags.cmd);
    if (flags.cmd !== undefined && cmd === undefined) {
      throw new UserError('--cmd: expected a JSON array of strings or words separated by spaces', EXIT.usage);
    }
    if (flags['require-root'] && process.getuid?.() !== 0) {
      throw new UserError(
        'seccomp learn must run as root: runsc needs it to trace the workload',
        EXIT.environment,
        ['run it with sudo, or pass --no-require-root when runsc is set up to run rootless'],
      );
    }
    const merge = await Promise.all(
      (flags.merge ?? []).map(async (file) => ({ file, profile: await readProfileFile(file) })),
    );
    const docker = await connect(flags.timeout);
    const result = await learnSeccomp({
      docker,
      image: flags.image,
      ...(cmd ? { cmd } : {}),
      ...(flags.exercise ? { exercisePath: flags.exercise } : {}),
      durationMs: flags.duration,
      runsc: runscPath(flags.runsc),
      verify: flags.verify,
      merge,
    });
    const profileText = `${seccompToJson(result.profile)}\n`;
    await writeOutput(flags.output ?? '-', profileText, { what: 'profile' });
    const report =
      flags.format === 'json' ? learnJson(result, flags.output) : learnTable(result, flags.output);
    (flags.output ? process.stdout : process.stderr).write(report);
    const exerciseFailed = !result.trace.timedOut && result.trace.exitCode !== 0;
    const verifyFailed =
      result.verify !== undefined && (!result.verify.workload.ok || result.verify.probe?.eperm === false);
    if (exerciseFailed || verifyFailed) process.exitCode = EXIT.findings;
  }
}
