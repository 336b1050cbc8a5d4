import {
  type Catalog,
  escapeTerminal,
  type InputKind,
  type ProfileName,
  type RuleQuery,
  SEVERITIES,
} from '@bulkhead/core';
import { Flags, ux } from '@oclif/core';
import { fleetChunks } from '../../report/fleet.js';
import type { Format } from '../../report/index.js';
import { wantsColor } from '../base.js';
import { EXIT, type ExitCode } from '../exit.js';
import { boundedInteger, type FAIL_ON } from '../flags.js';
import { writeOutput } from '../output.js';
import {
  addResult,
  auditEngine,
  auditFleet,
  type EngineResult,
  emptyTotals,
  fleetExemptionProblems,
} from './audit.js';
import { fleetTargets } from './targets.js';

/** `audit`'s flags naming several engines (without them, `audit` reads DOCKER_HOST alone). */
export const fleetFlags = {
  host: Flags.string({
    description:
      'Engine to audit: unix:///path, tcp://host:port (TLS from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set or the port is 2376) or ssh://user@host[:port] (host key from ~/.ssh/known_hosts); repeatable.',
    multiple: true,
    helpValue: 'URL',
  }),
  context: Flags.string({
    description:
      'Docker CLI context to audit (from the context store under DOCKER_CONFIG or ~/.docker); repeatable.',
    multiple: true,
    helpValue: 'NAME',
  }),
  'hosts-file': Flags.string({
    description:
      'YAML or JSON list of engines: addresses, or { name, host | context, tls: { ca, cert, key }, identityFile, knownHosts }.',
    helpValue: 'FILE',
  }),
  concurrency: boundedInteger({
    name: 'concurrency',
    min: 1,
    max: 256,
    unit: 'engines',
    default: 16,
    description: 'Engines audited at once when several are named',
  }),
};

/** True when the flags name engines explicitly (fleet mode). */
export function namesEngines(flags: {
  host?: string[] | undefined;
  context?: string[] | undefined;
  'hosts-file'?: string | undefined;
}): boolean {
  return (
    (flags.host?.length ?? 0) > 0 || (flags.context?.length ?? 0) > 0 || flags['hosts-file'] !== undefined
  );
}

/**
 * `audit` over the engines the flags name: at most `--concurrency` at once, each call under
 * `--timeout`, each engine's section written as it completes. Exit: 3 when no engine could be
 * audited, 4 when some could not, else 1/0 by `--fail-on`.
 */
export async function runFleetAudit(
  flags: {
    host?: string[] | undefined;
    context?: string[] | undefined;
    'hosts-file'?: string | undefined;
    concurrency: number;
    filters: Record<string, string[]>;
    all: boolean;
    timeoutMs: number;
    profile: ProfileName;
    format: Format;
    output?: string | undefined;
    'fail-on': (typeof FAIL_ON)[number];
  },
  context: {
    catalog: Catalog;
    select: RuleQuery;
    exemptions: Parameters<typeof auditEngine>[1]['exemptions'];
    trustLabels: readonly InputKind[];
    version: string;
  },
): Promise<ExitCode> {
  const targets = await fleetTargets(flags);
  const options = {
    filters: flags.filters,
    all: flags.all,
    timeoutMs: flags.timeoutMs,
    perEngine: 4,
    profile: flags.profile,
    catalog: context.catalog,
    select: context.select,
    exemptions: context.exemptions,
    trustLabels: context.trustLabels,
    version: context.version,
  };
  const { catalog } = context;
  const rules = catalog.select(context.select).map((r) => r.id);
  const totals = emptyTotals(targets.length, rules.length);
  const progress = process.stderr.isTTY === true;
  let results: AsyncIterable<EngineResult> = auditFleet(targets, flags.concurrency, (t) =>
    auditEngine(t, options),
  );
  if (progress) results = withProgress(results, targets.length);
  const toStdout = !flags.output;
  const chunks = fleetChunks(
    flags.format,
    results,
    {
      tool: { name: 'bulkhead', version: context.version },
      profile: flags.profile,
      rules,
      totals,
      add: (r) => addResult(totals, r),
      exemptionProblems: () => fleetExemptionProblems(totals, context.exemptions.exemptions),
    },
    { catalog, color: toStdout && flags.format === 'table' && wantsColor(process.stdout) },
  );
  await writeOutput(flags.output ?? '-', chunks);
  if (!(toStdout && flags.format === 'table')) {
    // The table shows them; other formats hold them, and a terminal should hear of them too.
    for (const p of fleetExemptionProblems(totals, context.exemptions.exemptions)) {
      process.stderr.write(`warning: ${escapeTerminal(p.message)} (${p.kind})\n`);
    }
  }
  if (totals.failed > 0 && !(toStdout && flags.format === 'table')) {
    process.stderr.write(
      `${totals.failed} of ${totals.engines} engines could not be audited (see the report)\n`,
    );
  }
  let code: ExitCode;
  if (totals.audited === 0) code = EXIT.environment;
  else if (totals.failed > 0) code = EXIT.partial;
  else if (flags['fail-on'] !== 'none' && totals.worstRank <= SEVERITIES.indexOf(flags['fail-on']))
    code = EXIT.findings;
  else code = EXIT.ok;
  process.exitCode = code;
  return code;
}

/** Shows `engines 12/500 done, 1 failed` on standard error (a terminal) as results pass. */
async function* withProgress(
  results: AsyncIterable<EngineResult>,
  total: number,
): AsyncGenerator<EngineResult> {
  let done = 0;
  let failed = 0;
  ux.action.start(`Auditing ${total} engines`, undefined, { stdout: false });
  try {
    for await (const r of results) {
      done++;
      if (r.error !== undefined) failed++;
      ux.action.status = `${done}/${total} done, ${failed} failed`;
      yield r;
    }
  } finally {
    ux.action.stop(`${done}/${total} done, ${failed} failed`);
  }
}
