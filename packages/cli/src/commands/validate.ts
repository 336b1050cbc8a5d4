import { Args, Flags } from '@oclif/core';
import { applyLearnedProfiles } from '../learn/apply.js';
import { BaseCommand } from '../lib/base.js';
import { reportFlags } from '../lib/flags.js';
import { loadInput } from '../lib/inputs.js';
import { runSettings } from '../lib/project-config.js';
import { emitReport, evaluateInputs, trustedLabelSources } from '../lib/report.js';

/** `bulkhead validate [PATH…]`: check programs, stacks and compose files before they run. */
export default class Validate extends BaseCommand {
  static override summary =
    'Check Pulumi programs, stack exports, previews and compose files before deploying.';
  static override description =
    'Each PATH is a Pulumi project directory (its TypeScript program runs under mocks: no Pulumi CLI or cloud ' +
    'needed), a compose file (or a directory with one), `pulumi stack export` JSON, `pulumi preview --json` ' +
    'output or `docker inspect` JSON. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or ' +
    'input, 3 environment problem.';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate examples/insecure-stack --stack dev',
    '<%= config.bin %> validate compose.yaml --format sarif --output bulkhead.sarif',
    '<%= config.bin %> validate stack.json --profile baseline --fail-on critical',
  ];
  static override args = {
    path: Args.string({ description: 'Inputs to check (default: the current directory).' }),
  };
  static override flags = {
    ...reportFlags,
    stack: Flags.string({
      char: 's',
      description: 'Stack whose Pulumi.<stack>.yaml config the program runs with.',
    }),
    preview: Flags.boolean({
      description:
        'Run `pulumi preview` with the docker-hardening policy pack instead (needs the Pulumi CLI).',
      default: false,
    }),
    'env-file': Flags.string({
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
        'Compose: a file of variables for ${VAR} interpolation, as `docker compose --env-file`; replaces the ' +
        "project's .env. Repeatable (a later file wins); the process environment wins over all.",
      multiple: true,
    }),
    // seccomp learning (packages/cli/src/learn): compare containers with their learned profiles.
    'learned-profile': Flags.string({
      description:
        'NAME=FILE: a seccomp profile learned for the container or service NAME (`seccomp learn`); ' +
        'seccomp-within-learned-profile flags a filter allowing more. Repeatable.',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    const paths = argv.length > 0 ? (argv as string[]) : ['.'];
    if (flags.preview) {
      const { runPulumiPreview } = await import('../lib/preview.js');
      process.exitCode = await runPulumiPreview(paths[0]!, flags.stack);
      return;
    }
    const run = await runSettings(flags);
    const config = run.exemptions;
    const inputs = [];
    for (const p of paths)
      inputs.push(
        await loadInput(p, {
          stack: flags.stack,
          envFiles: flags['env-file'] ?? [],
          warn: (m) => this.warn(m),
        }),
      );
    await applyLearnedProfiles(inputs, flags['learned-profile'] ?? []);
    const report = evaluateInputs(inputs, {
      profile: run.profile,
      exemptions: config.exemptions,
      version: this.config.version,
      trustLabels: trustedLabelSources(config, run.trustEngineLabels),
      maxExpiryDays: config.maxExpiryDays,
      catalog: run.catalog,
      select: run.select,
    });
    await emitReport(report, { ...flags, format: run.format, 'fail-on': run.failOn }, run.catalog);
  }
}
