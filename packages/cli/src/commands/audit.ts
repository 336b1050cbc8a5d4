import { Flags, ux } from '@oclif/core';
import { BaseCommand } from '../lib/base.js';
import { connect, engineAddress, inspectEngine, parseFilters } from '../lib/engine.js';
import { EXIT, UserError } from '../lib/exit.js';
import { durationFlag, reportFlags } from '../lib/flags.js';
import { fleetFlags, namesEngines, runFleetAudit } from '../lib/fleet/run.js';
import { runSettings } from '../lib/project-config.js';
import { emitReport, evaluateInputs, trustedLabelSources } from '../lib/report.js';

/** Containers above which `audit` shows progress on a terminal. */
const PROGRESS_THRESHOLD = 20;

/** `bulkhead audit`: judge what runs in a Docker engine. */
export default class Audit extends BaseCommand {
  static override summary = 'Check the containers and networks running in a Docker engine.';
  static override description =
    'Reads the engine at DOCKER_HOST (or the local socket), inspects each matching container and the ' +
    "user-defined networks they use, and evaluates them with the rule catalog. A container's own " +
    'dev.bulkhead.exempt.* labels are shown but not honoured unless --trust-labels (or trustLabels in the ' +
    'exemptions file) says so: whoever started the container wrote them. Exit codes: 0 clean, 1 findings ' +
    'at or above --fail-on, 2 bad usage, 3 engine unreachable or permission denied. With --host, --context ' +
    'or --hosts-file it audits each engine named (--concurrency at a time) and reports them grouped by ' +
    'engine; exit 3 when none could be audited, 4 when some could not.';
  static override examples = [
    '<%= config.bin %> audit',
    '<%= config.bin %> audit --filter name=web- --all',
    '<%= config.bin %> audit --filter label=com.example.team=payments --format sarif -o audit.sarif',
    '<%= config.bin %> audit --host ssh://deploy@10.0.0.5 --context staging --hosts-file fleet.yaml -f sarif -o fleet.sarif',
  ];
  static override flags = {
    ...reportFlags,
    ...fleetFlags,
    filter: Flags.string({
      description:
        'Docker filter key=value (name, label, id, ancestor, network, status, health); repeatable.',
      multiple: true,
    }),
    all: Flags.boolean({ char: 'a', description: 'Include stopped containers.', default: false }),
    timeout: durationFlag({
      name: 'timeout',
      min: 1000,
      max: 60 * 60 * 1000,
      default: '10s',
      description: 'How long each engine call may take in all, however slowly the engine answers',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Audit);
    const filters = parseFilters(flags.filter ?? []);
    const run = await runSettings(flags);
    const config = run.exemptions;
    if (namesEngines(flags)) {
      if (flags.baseline !== undefined || flags['write-baseline'] !== undefined) {
        throw new UserError(
          '--baseline and --write-baseline take one engine: drop --host, --context and --hosts-file, or the baseline flag',
          EXIT.usage,
        );
      }
      await runFleetAudit(
        {
          ...flags,
          filters,
          timeoutMs: flags.timeout,
          profile: run.profile,
          format: run.format,
          'fail-on': run.failOn,
        },
        {
          catalog: run.catalog,
          select: run.select,
          exemptions: config,
          trustLabels: trustedLabelSources(config, run.trustEngineLabels),
          version: this.config.version,
        },
      );
      return;
    }
    const docker = await connect(flags.timeout);
    const showProgress = process.stderr.isTTY === true;
    let started = false;
    const inspected = await inspectEngine(docker, {
      filters,
      all: flags.all,
      concurrency: 8,
      timeoutMs: flags.timeout,
      progress: (done, total) => {
        if (!showProgress || total < PROGRESS_THRESHOLD) return;
        if (!started) {
          ux.action.start(`Inspecting ${total} containers`, undefined, { stdout: false });
          started = true;
        }
        ux.action.status = `${done}/${total}`;
        if (done === total) ux.action.stop();
      },
    });
    const { fromDockerInspect } = await import('@bulkhead/core');
    const resources = fromDockerInspect([...inspected.containers, ...inspected.networks]);
    const report = evaluateInputs([{ path: engineAddress(), kind: 'inspect', resources }], {
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
