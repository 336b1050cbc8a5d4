import {
  applyBaseline,
  type Baseline,
  type ContainerSpec,
  catalog,
  createBaseline,
  DECLARED_LABEL_SOURCES,
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
  type ResourceSet,
  SEVERITIES,
  type Severity,
  type Summary,
  serializeBaseline,
  escapeTerminal as t,
} from '@bulkhead/core';
import { parse as parseYaml } from 'yaml';
import { type Format, renderChunks } from '../report/index.js';
import type { CliFinding, CliReport, CliResource, InputInfo } from '../report/model.js';
import { wantsColor } from './base.js';
import { EXIT, type ExitCode, UserError } from './exit.js';
import { readInputText } from './files.js';
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
export async function loadExemptions(file: string | undefined): Promise<ExemptionsConfig> {
  if (!file) return { exemptions: [] };
  const text = await readInputText(file, 'exemptions file');
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (error) {
    throw new UserError(`exemptions file ${file} is not valid YAML or JSON: ${firstLine(error)}`, EXIT.usage);
  }
  const config = parseExemptionsConfig(data, `exemptions file ${file}`);
  config.exemptions.forEach((e, i) => {
    if (!catalog.has(e.rule)) {
      throw unknownRule(e.rule, `${file}: exemptions[${i}].rule`);
    }
  });
  return config;
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

/** Evaluates each input on its own (stack rules see one stack at a time) and merges the results. */
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
  },
): CliReport {
  const findings: CliFinding[] = [];
  const resources: CliResource[] = [];
  const problems = new Map<string, ExemptionProblem>();
  const unusedCount = new Map<number, number>();
  let rules: string[] = [];
  const summary: Summary = {
    containers: 0,
    networks: 0,
    rules: 0,
    fail: 0,
    unknown: 0,
    exempt: 0,
    failBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
  };
  inputs.forEach((input, i) => {
    const report = evaluate(input.resources, {
      profile: options.profile,
      exemptions: options.exemptions,
      ...(options.trustLabels ? { trustLabels: options.trustLabels } : {}),
      ...(options.maxExpiryDays !== undefined ? { maxExpiryDays: options.maxExpiryDays } : {}),
    });
    for (const f of report.findings) findings.push({ ...f, input: i });
    for (const c of input.resources.containers) resources.push(resourceOf(c, 'container', i));
    for (const n of input.resources.networks) resources.push(resourceOf(n, 'network', i));
    for (const p of report.exemptionProblems) {
      if (p.kind === 'unused') unusedCount.set(p.index, (unusedCount.get(p.index) ?? 0) + 1);
      else problems.set(`${p.index}:${p.kind}`, p);
    }
    const s = report.summary;
    summary.containers += s.containers;
    summary.networks += s.networks;
    summary.rules = s.rules;
    summary.fail += s.fail;
    summary.unknown += s.unknown;
    summary.exempt += s.exempt;
    for (const sev of SEVERITIES) summary.failBySeverity[sev] += s.failBySeverity[sev];
  });
  rules = catalog.profile(options.profile).map((r) => r.id);
  if (inputs.length === 0) summary.rules = rules.length;
  // An exemption is unused only when no input used it.
  for (const [index, n] of unusedCount) {
    if (n === inputs.length) {
      const e = options.exemptions[index];
      problems.set(`${index}:unused`, {
        index,
        kind: 'unused',
        message: `exemptions[${index}] (rule ${e?.rule ?? '?'}) matched no finding`,
      });
    }
  }
  return {
    tool: { name: 'bulkhead', version: options.version },
    profile: options.profile,
    inputs: inputs.map(({ resources: _r, ...info }) => info),
    resources,
    findings,
    summary,
    exemptionProblems: [...problems.values()].sort((a, b) => a.index - b.index),
    rules,
  };
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

/** The exit code for a report under `--fail-on`. Unknown and exempt findings never fail. */
export function exitCodeFor(report: CliReport, failOn: (typeof FAIL_ON)[number]): ExitCode {
  if (failOn === 'none') return EXIT.ok;
  const limit = SEVERITIES.indexOf(failOn);
  const failing = report.findings.some((f) => f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= limit);
  return failing ? EXIT.findings : EXIT.ok;
}

/** Largest baseline file read (16 MiB: about 100,000 entries). */
const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a baseline file: bounded, JSON, checked against core's schema; every rule it names must
 * be in the catalog. Any problem is one line naming the file and the field (exit 2).
 */
export async function loadBaseline(file: string): Promise<Baseline> {
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
    if (!catalog.has(e.rule)) throw unknownRule(e.rule, `${file}: findings[${i}].rule`);
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
): Promise<CliReport> {
  let baseline: Baseline;
  let file: string;
  if (flags['write-baseline']) {
    file = flags['write-baseline'];
    baseline = createBaseline(report.findings);
    await writeOutput(file, serializeBaseline(baseline), { flag: '--write-baseline', what: 'baseline' });
  } else if (flags.baseline) {
    file = flags.baseline;
    baseline = await loadBaseline(file);
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
): Promise<ExitCode> {
  const report = await applyBaselineFlags(evaluated, flags);
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

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
