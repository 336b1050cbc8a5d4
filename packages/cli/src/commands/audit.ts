import { Flags, ux } from '@oclif/core';
import { BaseCommand } from '../lib/base.js';
import { connect, engineAddress, inspectEngine, parseFilters } from '../lib/engine.js';
import { boundedInteger, reportFlags } from '../lib/flags.js';
import { fleetFlags, namesEngines, runFleetAudit } from '../lib/fleet/run.js';
import { emitReport, evaluateInputs, loadExemptions, trustedLabelSources } from '../lib/report.js';

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
      default: [],
    }),
    all: Flags.boolean({ char: 'a', description: 'Include stopped containers.', default: false }),
    timeout: boundedInteger({
      name: 'timeout',
      min: 1,
      max: 3600,
      unit: 'seconds',
      default: 10,
      description: 'Seconds each engine call may take in all, however slowly the engine answers',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Audit);
    const filters = parseFilters(flags.filter);
    const config = await loadExemptions(flags.exemptions);
    if (namesEngines(flags)) {
      await runFleetAudit(
        { ...flags, filters, timeoutMs: flags.timeout * 1000 },
        {
          exemptions: config,
          trustLabels: trustedLabelSources(config, flags['trust-labels']),
          version: this.config.version,
        },
      );
      return;
    }
    const docker = await connect(flags.timeout * 1000);
    const showProgress = process.stderr.isTTY === true;
    let started = false;
    const inspected = await inspectEngine(docker, {
      filters,
      all: flags.all,
      concurrency: 8,
      timeoutMs: flags.timeout * 1000,
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
      profile: flags.profile,
      exemptions: config.exemptions,
      version: this.config.version,
      trustLabels: trustedLabelSources(config, flags['trust-labels']),
      maxExpiryDays: config.maxExpiryDays,
    });
    await emitReport(report, flags);
  }
}
