import {
  catalog as bulkheadCatalog,
  type Catalog,
  type ContainerSpec,
  DECLARED_LABEL_SOURCES,
  type Exemption,
  type ExemptionProblem,
  type ExemptionsConfig,
  evaluate,
  type InputKind,
  type NetworkSpec,
  type ProfileName,
  parseExemptionsConfig,
  type ResourceSet,
  type RuleQuery,
  SEVERITIES,
  type Severity,
  type Summary,
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
export async function loadExemptions(
  file: string | undefined,
  catalog: Catalog = bulkheadCatalog,
): Promise<ExemptionsConfig> {
  if (!file) return { exemptions: [] };
  const text = await readInputText(file, 'exemptions file');
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (error) {
    throw new UserError(`exemptions file ${file} is not valid YAML or JSON: ${firstLine(error)}`, EXIT.usage);
  }
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
    /** The catalog (Bulkhead's, or built with the project's rule packages). */
    catalog?: Catalog;
    /** Which rules run, after the profile (the project config's `select` and the flags). */
    select?: RuleQuery;
  },
): CliReport {
  const catalog = options.catalog ?? bulkheadCatalog;
  const select: RuleQuery = { ...options.select, profile: options.select?.profile ?? options.profile };
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
    error: 0,
    failBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
  };
  inputs.forEach((input, i) => {
    const report = evaluate(input.resources, {
      profile: options.profile,
      exemptions: options.exemptions,
      catalog,
      select,
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
    summary.error += s.error;
    for (const sev of SEVERITIES) summary.failBySeverity[sev] += s.failBySeverity[sev];
  });
  rules = catalog.select(select).map((r) => r.id);
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

/**
 * Renders the report in pieces and writes them as they come (stdout, or `--output` through
 * {@link writeOutput}: atomic for regular files, through for FIFOs and devices), warns about exemption
 * problems on stderr when they are not already in the printed table, and sets the exit code.
 */
export async function emitReport(
  report: CliReport,
  flags: { format: Format; output?: string | undefined; 'fail-on': (typeof FAIL_ON)[number] },
  catalog: Catalog = bulkheadCatalog,
): Promise<ExitCode> {
  const toStdout = !flags.output;
  const chunks = renderChunks(flags.format, report, {
    catalog,
    color: toStdout && flags.format === 'table' && wantsColor(process.stdout),
  });
  await writeOutput(flags.output ?? '-', chunks);
  if (!(toStdout && flags.format === 'table')) {
    for (const p of report.exemptionProblems) process.stderr.write(`warning: ${t(p.message)} (${p.kind})\n`);
  }
  const code = exitCodeFor(report, flags['fail-on']);
  process.exitCode = code;
  return code;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
