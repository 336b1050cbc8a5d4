import {
  applyBaseline,
  type Baseline,
  catalog as bulkheadCatalog,
  type Catalog,
  type ContainerSpec,
  createBaseline,
  DECLARED_LABEL_SOURCES,
  type EvaluateOptions,
  type Exemption,
  type ExemptionProblem,
  type ExemptionsConfig,
  evaluate,
  InputError,
  type InputKind,
  type NetworkSpec,
  type ProfileName,
  parseBaseline,
  parseExemptionsConfig,
  type Report,
  type ResourceSet,
  type RuleQuery,
  SEVERITIES,
  type Summary,
  serializeBaseline,
  escapeTerminal as t,
} from '@bulkhead/core';
import { type Format, renderChunks } from '../report/index.js';
import type { CliFinding, CliReport, CliResource, InputInfo } from '../report/model.js';
import { wantsColor } from './base.js';
import { EXIT, type ExitCode, firstLine, UserError } from './exit.js';
import { readDataFile, readInputText } from './files.js';
import type { FAIL_ON } from './flags.js';
import { writeOutput } from './output.js';
import { unknownRule } from './rules.js';

/** An input after its adapter ran. */
export interface LoadedInput extends InputInfo {
  resources: ResourceSet;
}

/**
 * Reads and validates an exemptions file: a list of exemptions, or `{ exemptions, maxExpiryDays,
 * trustLabels }`. Unknown rule ids are a usage error (exit 2) with a suggestion, since a typo
 * would otherwise silently exempt nothing.
 */
export async function loadExemptions(
  file: string | undefined,
  catalog: Catalog = bulkheadCatalog,
): Promise<ExemptionsConfig> {
  if (!file) return { exemptions: [] };
  const data = await readDataFile(file, 'exemptions file');
  const config = parseExemptionsConfig(data, `exemptions file ${file}`);
  checkExemptionRules(config, file, catalog);
  return config;
}

/** Throws a usage error naming the first exemption whose rule is not in the catalog (a typo exempts nothing). */
export function checkExemptionRules(config: ExemptionsConfig, where: string, catalog: Catalog): void {
  config.exemptions.forEach((e, i) => {
    if (!catalog.has(e.rule)) {
      throw unknownRule(e.rule, `${where}: exemptions[${i}].rule`, catalog);
    }
  });
}

/**
 * The input kinds whose exemption labels count: the file's `trustLabels` when set, else the
 * declared sources; `--trust-labels` adds the engine's (`inspect`).
 */
export function trustedLabelSources(config: ExemptionsConfig, trustEngine: boolean): InputKind[] {
  const kinds = new Set<InputKind>(config.trustLabels ?? DECLARED_LABEL_SOURCES);
  if (trustEngine) kinds.add('inspect');
  return [...kinds];
}

/**
 * Evaluates each input on its own (stack rules see one stack at a time) and merges core's reports:
 * findings and resources are concatenated, core's summaries added up, and core's exemption
 * problems kept once each; an exemption is unused only when core found it unused in every input.
 */
export function evaluateInputs(
  inputs: readonly LoadedInput[],
  options: {
    profile: ProfileName;
    exemptions: readonly Exemption[];
    version: string;
    /** Input kinds whose exemption labels count (default: the declared sources). */
    trustLabels?: readonly InputKind[];
    /** Longest an exemption label may run, in days. */
    maxExpiryDays?: number | undefined;
    /** The catalog (Bulkhead's, or built with the project's rule packages). */
    catalog?: Catalog;
    /** Which rules run, after the profile (the project config's `select` and the flags). */
    select?: RuleQuery;
  },
): CliReport {
  const catalog = options.catalog ?? bulkheadCatalog;
  const select: RuleQuery = { ...options.select, profile: options.select?.profile ?? options.profile };
  const evaluateOptions: EvaluateOptions = {
    profile: options.profile,
    exemptions: options.exemptions,
    catalog,
    select,
    ...(options.trustLabels ? { trustLabels: options.trustLabels } : {}),
    ...(options.maxExpiryDays !== undefined ? { maxExpiryDays: options.maxExpiryDays } : {}),
  };
  const findings: CliFinding[] = [];
  const resources: CliResource[] = [];
  // With no input, core's report of nothing: its rule count, every exemption unused.
  const reports =
    inputs.length > 0
      ? inputs.map((input) => evaluate(input.resources, evaluateOptions))
      : [evaluate({ containers: [], networks: [] }, evaluateOptions)];
  inputs.forEach((input, i) => {
    // Tagged in place, not copied: a copy held every finding twice at the peak (~1M findings at
    // the 32 MiB input limit; bench/report-memory.mjs).
    for (const f of reports[i]!.findings as CliFinding[]) {
      f.input = i;
      findings.push(f);
    }
    for (const c of input.resources.containers) resources.push(resourceOf(c, 'container', i));
    for (const n of input.resources.networks) resources.push(resourceOf(n, 'network', i));
  });
  return {
    tool: { name: 'bulkhead', version: options.version },
    profile: options.profile,
    inputs: inputs.map(({ resources: _r, ...info }) => info),
    resources,
    findings,
    summary: addSummaries(reports.map((r) => r.summary)),
    exemptionProblems: mergeProblems(reports),
    rules: catalog.select(select).map((r) => r.id),
  };
}

/** Core's summaries of several inputs added up (every input ran the same rules). */
function addSummaries(summaries: readonly Summary[]): Summary {
  const [first, ...rest] = summaries;
  const total: Summary = { ...first!, failBySeverity: { ...first!.failBySeverity } };
  for (const s of rest) addSummary(total, s);
  return total;
}

/** Adds the counts of `s` to `total` (the rule count is the same in both). */
export function addSummary(total: Summary, s: Summary): void {
  total.containers += s.containers;
  total.networks += s.networks;
  total.fail += s.fail;
  total.unknown += s.unknown;
  total.exempt += s.exempt;
  total.error += s.error;
  for (const sev of SEVERITIES) total.failBySeverity[sev] += s.failBySeverity[sev];
}

/**
 * Core's exemption problems of several inputs, each once (by index and kind, in index order);
 * `unused` only when every input reported it.
 */
function mergeProblems(reports: readonly Report[]): ExemptionProblem[] {
  const problems = new Map<string, { problem: ExemptionProblem; inputs: number }>();
  for (const report of reports) {
    for (const p of report.exemptionProblems) {
      const key = `${p.index}:${p.kind}`;
      const seen = problems.get(key);
      if (seen) seen.inputs++;
      else problems.set(key, { problem: p, inputs: 1 });
    }
  }
  return [...problems.values()]
    .filter(({ problem, inputs }) => problem.kind !== 'unused' || inputs === reports.length)
    .map(({ problem }) => problem)
    .sort((a, b) => a.index - b.index);
}

function resourceOf(
  spec: ContainerSpec | NetworkSpec,
  scope: 'container' | 'network',
  input: number,
): CliResource {
  const s = spec.source;
  const r: CliResource = { kind: s.kind, scope, name: s.name, type: s.type, input };
  if (s.urn) r.urn = s.urn;
  if (s.parent) r.parent = s.parent;
  return r;
}

/**
 * The exit code for a report under `--fail-on`. Unknown and exempt findings never fail; a rule
 * error (a rule that broke on a resource it had to judge) fails at any level but `none`.
 */
export function exitCodeFor(report: CliReport, failOn: (typeof FAIL_ON)[number]): ExitCode {
  if (failOn === 'none') return EXIT.ok;
  const limit = SEVERITIES.indexOf(failOn);
  const failing = report.findings.some(
    (f) => f.status === 'error' || (f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= limit),
  );
  return failing ? EXIT.findings : EXIT.ok;
}

/** Largest baseline file read (16 MiB: about 100,000 entries). */
const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a baseline file: bounded, JSON, checked against core's schema; every rule it names must
 * be in the catalog. Any problem is one line naming the file and the field (exit 2).
 */
export async function loadBaseline(file: string, catalog: Catalog = bulkheadCatalog): Promise<Baseline> {
  const text = await readInputText(file, 'baseline file', MAX_BASELINE_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`baseline file ${file} is not valid JSON: ${firstLine(error)}`, EXIT.usage, [
      'write it again with --write-baseline',
    ]);
  }
  let baseline: Baseline;
  try {
    baseline = parseBaseline(data, `baseline file ${file}`);
  } catch (error) {
    if (error instanceof InputError) {
      throw new UserError(error.message, EXIT.usage, ['write it again with --write-baseline']);
    }
    throw error;
  }
  baseline.findings.forEach((e, i) => {
    if (!catalog.has(e.rule)) throw unknownRule(e.rule, `${file}: findings[${i}].rule`, catalog);
  });
  return baseline;
}

/**
 * `--write-baseline FILE` records the report's failed findings (atomically, through
 * {@link writeOutput}); `--baseline FILE` (or the file just written) then takes the findings it
 * accepts out of the report and its summary and records its stale entries.
 */
export async function applyBaselineFlags(
  report: CliReport,
  flags: { baseline?: string | undefined; 'write-baseline'?: string | undefined },
  catalog: Catalog = bulkheadCatalog,
): Promise<CliReport> {
  let baseline: Baseline;
  let file: string;
  if (flags['write-baseline']) {
    file = flags['write-baseline'];
    baseline = createBaseline(report.findings);
    await writeOutput(file, serializeBaseline(baseline), { flag: '--write-baseline', what: 'baseline' });
  } else if (flags.baseline) {
    file = flags.baseline;
    baseline = await loadBaseline(file, catalog);
  } else {
    return report;
  }
  const match = applyBaseline(baseline, report.findings);
  const summary: Summary = { ...report.summary, failBySeverity: { ...report.summary.failBySeverity } };
  const findings = report.findings.filter((f, i) => {
    if (!match.baselined[i]) return true;
    summary.fail -= 1;
    summary.failBySeverity[f.severity] -= 1;
    return false;
  });
  return {
    ...report,
    findings,
    summary,
    baseline: { file, accepted: report.findings.length - findings.length, stale: match.stale },
  };
}

/** Most stale baseline entries listed one by one on stderr. */
const MAX_STALE_LISTED = 20;

function baselineNotes(report: CliReport): string[] {
  const b = report.baseline;
  if (!b) return [];
  const lines = [
    `baseline ${t(b.file)}: ${b.accepted} accepted finding${b.accepted === 1 ? '' : 's'} not shown; ` +
      `${b.stale.length} entr${b.stale.length === 1 ? 'y' : 'ies'} no longer match${b.stale.length === 1 ? 'es' : ''}`,
  ];
  for (const e of b.stale.slice(0, MAX_STALE_LISTED)) {
    lines.push(
      `warning: baseline entry ${e.fingerprint} (rule ${t(e.rule)}, ${t(e.resource)}${e.path ? ` ${t(e.path)}` : ''}) ` +
        'matched no finding: it was fixed or its resource is gone; drop it (or run --write-baseline again)',
    );
  }
  if (b.stale.length > MAX_STALE_LISTED)
    lines.push(`warning: … and ${b.stale.length - MAX_STALE_LISTED} more stale baseline entries`);
  return lines;
}

/**
 * Renders the report in pieces and writes them as they come (stdout, or `--output` through
 * {@link writeOutput}: atomic for regular files, through for FIFOs and devices), warns about exemption
 * problems on stderr when they are not already in the printed table, and sets the exit code.
 */
export async function emitReport(
  evaluated: CliReport,
  flags: {
    format: Format;
    output?: string | undefined;
    'fail-on': (typeof FAIL_ON)[number];
    baseline?: string | undefined;
    'write-baseline'?: string | undefined;
  },
  catalog: Catalog = bulkheadCatalog,
): Promise<ExitCode> {
  const report = await applyBaselineFlags(evaluated, flags, catalog);
  const toStdout = !flags.output;
  const chunks = renderChunks(flags.format, report, {
    catalog,
    color: toStdout && flags.format === 'table' && wantsColor(process.stdout),
  });
  await writeOutput(flags.output ?? '-', chunks);
  for (const note of baselineNotes(report)) process.stderr.write(`${note}\n`);
  if (!(toStdout && flags.format === 'table')) {
    for (const p of report.exemptionProblems) process.stderr.write(`warning: ${t(p.message)} (${p.kind})\n`);
  }
  const code = exitCodeFor(report, flags['fail-on']);
  process.exitCode = code;
  return code;
}
