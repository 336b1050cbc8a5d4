import { driftCatalog } from '@bulkhead/core';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, wantsColor } from '../lib/base.js';
import { declaredContainers, driftReport, readEngine, requireDeclared } from '../lib/drift.js';
import { engineAddress, mapBounded, parseFilters } from '../lib/engine.js';
import { EXIT, type ExitCode } from '../lib/exit.js';
import { reportFlags, selectionFlags } from '../lib/flags.js';
import { fleetFlags, namesEngines } from '../lib/fleet/run.js';
import { fleetTargets, hostTarget } from '../lib/fleet/targets.js';
import { loadInput } from '../lib/inputs.js';
import { writeOutput } from '../lib/output.js';
import { loadProjectConfig } from '../lib/project-config.js';
import { exitCodeFor } from '../lib/report.js';
import { renderChunks } from '../report/index.js';
import Audit from './audit.js';

/** `bulkhead drift`: what runs compared with what was declared. */
export default class Drift extends BaseCommand {
  static override summary = 'Compare what runs in Docker engines with what was declared.';
  static override description =
    'Reads the declaration (a `pulumi stack export` file, a Pulumi project run under mocks, or a compose ' +
    'file) and the engine at DOCKER_HOST (or those named by --host, --context, --hosts-file), matches ' +
    'containers (stack export: the recorded id, then the name; compose: the project and service labels; ' +
    'Pulumi program: the resource name) and reports security settings that differ (drift-setting-changed), ' +
    'containers recreated outside the deployment (drift-container-replaced), declared containers that do ' +
    'not run (drift-declared-missing) and running ones nothing declares (drift-undeclared-container); ' +
    'use --filter to choose what counts as running. Exit codes as for audit: 0 no drift at or above ' +
    '--fail-on, 1 drift, 2 bad usage, 3 no engine could be read, 4 some could not.';
  static override examples = [
    '<%= config.bin %> drift stack.json --filter label=com.example.stack=prod',
    '<%= config.bin %> drift compose.yaml --project-name shop --host ssh://deploy@10.0.0.5 -f sarif -o drift.sarif',
  ];
  static override args = {
    declared: Args.string({
      description: 'The declaration: a stack export file, a Pulumi project directory or a compose file.',
      required: true,
    }),
  };
  static override flags = {
    config: selectionFlags.config,
    format: reportFlags.format,
    output: reportFlags.output,
    'fail-on': reportFlags['fail-on'],
    ...fleetFlags,
    // Audit's own definitions: the same engine reading, the same grammar.
    filter: Audit.flags.filter,
    all: Audit.flags.all,
    timeout: Audit.flags.timeout,
    'project-name': Flags.string({
      description: 'Compose project name (default: the compose file directory name, as Docker Compose).',
    }),
    stack: Flags.string({ description: 'Stack whose config a Pulumi program runs with.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Drift);
    const filters = parseFilters(flags.filter ?? []);
    // The project config's output defaults, as for validate and audit (drift has its own rules).
    const { defaults } = await loadProjectConfig(flags.config);
    const format = flags.format ?? defaults.format ?? 'table';
    const input = await loadInput(args.declared, { stack: flags.stack, warn: (m) => this.warn(m) });
    const declared = await declaredContainers(input, flags['project-name']);
    requireDeclared(declared, args.declared);
    const targets = namesEngines(flags) ? await fleetTargets(flags) : [hostTarget(engineAddress())];
    const options = { filters, all: flags.all, timeoutMs: flags.timeout };
    const engines = await mapBounded(targets, flags.concurrency, (t) => readEngine(t, options));
    const { resources: _r, ...info } = input;
    const report = driftReport(info, declared, engines, this.config.version);
    const toStdout = !flags.output;
    const chunks = renderChunks(format, report, {
      catalog: driftCatalog,
      color: toStdout && format === 'table' && wantsColor(process.stdout),
    });
    await writeOutput(flags.output ?? '-', chunks);
    const failed = engines.filter((e) => e.error !== undefined);
    for (const e of failed) this.warn(`${e.target.name}: ${e.error}`);
    let code: ExitCode = exitCodeFor(report, flags['fail-on'] ?? defaults.failOn ?? 'high');
    if (failed.length === engines.length) code = EXIT.environment;
    else if (failed.length > 0) code = EXIT.partial;
    process.exitCode = code;
  }
}
