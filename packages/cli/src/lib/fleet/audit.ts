import {
  type Catalog,
  type ExemptionsConfig,
  emptySummary,
  type InputKind,
  type ProfileName,
  type RuleQuery,
  SEVERITIES,
} from '@bulkhead/core';
import type { CliReport } from '../../report/model.js';
import { toCliError } from '../base.js';
import { addSummary, evaluateInputs } from '../report.js';
import { inspectTarget } from './connect.js';
import type { EngineTarget } from './targets.js';

/** What auditing one engine of a fleet gave: its report, or why there is none. */
export interface EngineResult {
  target: EngineTarget;
  report?: CliReport;
  /** One line: why the engine could not be audited. */
  error?: string;
}

/** Settings every engine of a fleet is audited with. */
export interface FleetOptions {
  filters: Record<string, string[]>;
  all: boolean;
  /** Total time each engine call may take. */
  timeoutMs: number;
  /** Inspect requests in flight per engine. */
  perEngine: number;
  profile: ProfileName;
  /** The catalog (Bulkhead's, or built with the project's rule packages) and which rules run. */
  catalog: Catalog;
  select: RuleQuery;
  exemptions: ExemptionsConfig;
  trustLabels: readonly InputKind[];
  version: string;
}

/**
 * Audits one engine: connect, `/_ping`, list and inspect, evaluate. Never throws: a failure of
 * any step (refused, timed out, bad TLS material, unknown host key, garbage answer) is the
 * result's `error`, one line, so the other engines of the fleet still complete.
 */
export async function auditEngine(target: EngineTarget, options: FleetOptions): Promise<EngineResult> {
  try {
    const inspected = await inspectTarget(target, {
      filters: options.filters,
      all: options.all,
      concurrency: options.perEngine,
      timeoutMs: options.timeoutMs,
    });
    const { fromDockerInspect } = await import('@bulkhead/core');
    const resources = fromDockerInspect([...inspected.containers, ...inspected.networks]);
    const report = evaluateInputs([{ path: target.url, kind: 'inspect', resources }], {
      profile: options.profile,
      catalog: options.catalog,
      select: options.select,
      exemptions: options.exemptions.exemptions,
      version: options.version,
      trustLabels: options.trustLabels,
      maxExpiryDays: options.exemptions.maxExpiryDays,
    });
    return { target, report };
  } catch (error) {
    return { target, error: toCliError(error).message };
  }
}

/**
 * Audits `targets` with at most `concurrency` engines in flight and yields each result as it
 * completes (completion order, not input order: a hanging engine holds back nothing). At most
 * `concurrency` + 1 reports are held at once, however large the fleet.
 */
export async function* auditFleet(
  targets: readonly EngineTarget[],
  concurrency: number,
  auditOne: (target: EngineTarget) => Promise<EngineResult>,
): AsyncGenerator<EngineResult> {
  const running = new Map<number, Promise<{ i: number; result: EngineResult }>>();
  let next = 0;
  const start = () => {
    const i = next++;
    running.set(
      i,
      auditOne(targets[i]!).then((result) => ({ i, result })),
    );
  };
  while (next < targets.length && running.size < concurrency) start();
  while (running.size > 0) {
    const { i, result } = await Promise.race(running.values());
    running.delete(i);
    if (next < targets.length) start();
    yield result;
  }
}

/** Fleet totals, added up as results stream past. */
export interface FleetTotals {
  engines: number;
  audited: number;
  failed: number;
  summary: CliReport['summary'];
  /** Per exemption: on how many audited engines it matched nothing. */
  unused: Map<number, number>;
  /** Exemption problems other than unused, by `index:kind`. */
  problems: Map<string, CliReport['exemptionProblems'][number]>;
  /** Any failed finding at or above each severity rank. */
  worstRank: number;
}

/** Empty totals for a fleet of `engines`. */
export function emptyTotals(engines: number, rules: number): FleetTotals {
  return {
    engines,
    audited: 0,
    failed: 0,
    summary: emptySummary(rules),
    unused: new Map(),
    problems: new Map(),
    worstRank: SEVERITIES.length,
  };
}

/** Adds one engine's result to the totals. */
export function addResult(totals: FleetTotals, result: EngineResult): void {
  const report = result.report;
  if (!report) {
    totals.failed++;
    return;
  }
  totals.audited++;
  addSummary(totals.summary, report.summary);
  for (const f of report.findings) {
    // A rule that broke fails the run whatever --fail-on names (but `none`), as in one engine's audit.
    if (f.status === 'error') totals.worstRank = -1;
    if (f.status === 'fail') totals.worstRank = Math.min(totals.worstRank, SEVERITIES.indexOf(f.severity));
  }
  for (const p of report.exemptionProblems) {
    if (p.kind === 'unused') totals.unused.set(p.index, (totals.unused.get(p.index) ?? 0) + 1);
    else totals.problems.set(`${p.index}:${p.kind}`, p);
  }
}

/** Exemption problems of the whole fleet: unused only when no audited engine used it. */
export function fleetExemptionProblems(
  totals: FleetTotals,
  exemptions: ExemptionsConfig['exemptions'],
): CliReport['exemptionProblems'] {
  const out = [...totals.problems.values()];
  if (totals.audited > 0) {
    for (const [index, n] of totals.unused) {
      if (n === totals.audited) {
        out.push({
          index,
          kind: 'unused',
          message: `exemptions[${index}] (rule ${exemptions[index]?.rule ?? '?'}) matched no finding`,
        });
      }
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
