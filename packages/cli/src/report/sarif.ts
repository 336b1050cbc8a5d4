import * as path from 'node:path';
import { describeFinding, fingerprintFindings, type Rule, type Severity } from '@bulkhead/core';
import { type CliFinding, type CliReport, type ReportOptions, sortFindings } from './model.js';
import { jsonChunks, mapIter, streamed } from './stream.js';

/** GitHub code scanning's `security-severity` per Bulkhead severity. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** Options of {@link renderSarif}. */
export interface SarifOptions extends ReportOptions {
  /** Directory artifact URIs are made relative to (default: the process's working directory). */
  cwd?: string;
}

/**
 * SARIF 2.1.0. Rules come from the catalog; results carry stable `partialFingerprints` (rule id +
 * resource + field path, never the message), exempt findings carry `suppressions`, and findings
 * that could not be decided are `kind: review`, `level: note` (they never fail a build).
 */
export function renderSarif(report: CliReport, options: SarifOptions): string {
  return [...sarifChunks(report, options)].join('');
}

/** {@link renderSarif}'s text in pieces, one result at a time (for large reports). */
export function* sarifChunks(report: CliReport, options: SarifOptions): Generator<string> {
  const doc = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [sarifRun(report, options)],
  };
  yield* jsonChunks(doc);
  yield '\n';
}

/** The `$schema` of Bulkhead's SARIF documents. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** An engine a SARIF run is about (`audit` over several engines: one run per engine). */
export interface SarifEngine {
  name: string;
  url: string;
  /** Why the engine could not be audited (the run then has no results). */
  error?: string;
}

/** One SARIF run of a report, its results streamed; for an engine, tagged with it. */
export function sarifRun(report: CliReport, options: SarifOptions, engine?: SarifEngine) {
  const cwd = options.cwd ?? process.cwd();
  const rules = options.catalog.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sorted = sortFindings(report.findings);
  const prints = fingerprintFindings(sorted);
  let n = 0;
  const results = streamed(mapIter(sorted, (f) => result(f, prints[n++]!, report, options, index, cwd)));
  const notifications = report.exemptionProblems.map((p) => ({
    descriptor: { id: `exemption-${p.kind}` },
    level: 'warning' as const,
    message: { text: p.message },
  }));
  return {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: 'https://github.com/bulkhead-dev/bulkhead',
        rules: rules.map(ruleDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: engine?.error === undefined,
        ...(notifications.length > 0 ? { toolConfigurationNotifications: notifications } : {}),
        ...(engine?.error !== undefined
          ? { toolExecutionNotifications: [{ level: 'error', message: { text: engine.error } }] }
          : {}),
      },
    ],
    ...(engine ? { automationDetails: { id: `bulkhead-audit/${engine.name}/` } } : {}),
    columnKind: 'utf16CodeUnits',
    properties: {
      profile: report.profile,
      summary: report.summary,
      ...(engine
        ? {
            engine: {
              name: engine.name,
              url: engine.url,
              status: engine.error === undefined ? 'audited' : 'failed',
            },
          }
        : {}),
    },
    results,
  };
}

function ruleDescriptor(rule: Rule) {
  const refs = rule.references;
  const tags = ['security', 'docker', rule.severity, `profile:${rule.level}`];
  if (refs.cis) tags.push(`CIS-Docker-${refs.cis}`);
  const text = [
    rule.rationale,
    '',
    `Fix (Pulumi): ${rule.remediation.pulumi}`,
    `Fix (compose): ${rule.remediation.compose}`,
    `Fix (docker run): ${rule.remediation.dockerRun}`,
  ].join('\n');
  const markdown = [
    `**${rule.title}** (${rule.severity}, ${rule.level} profile${refs.cis ? `, CIS Docker ${refs.cis}` : ''})`,
    '',
    rule.rationale,
    '',
    '| input | fix |',
    '|---|---|',
    `| Pulumi | ${cell(rule.remediation.pulumi)} |`,
    `| compose | ${cell(rule.remediation.compose)} |`,
    `| docker run | ${cell(rule.remediation.dockerRun)} |`,
    '',
    `See ${refs.docs}`,
  ].join('\n');
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text, markdown },
    helpUri: refs.docs,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      tags,
      ...(refs.cis ? { cis: refs.cis } : {}),
      ...(refs.pss ? { pss: refs.pss } : {}),
    },
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function result(
  f: CliFinding,
  print: string,
  report: CliReport,
  options: ReportOptions,
  index: ReadonlyMap<string, number>,
  cwd: string,
) {
  const input = report.inputs[f.input];
  const d = describeFinding(f, options.catalog.get(f.ruleId));
  const profiles = f.resource.profiles ? ` (profiles: ${f.resource.profiles.join(', ')})` : '';
  const where = `${d.resource}${profiles}${d.where ? ` ${d.where}` : ''}`;
  const text =
    f.status === 'unknown'
      ? `${f.title} could not be decided for ${where}: ${d.what}. Review it once the value is known.`
      : f.status === 'error'
        ? `${f.title}: the rule broke on ${where}: ${d.what}.`
        : `${f.title}: ${where} ${d.what}.${d.fix ? ` Fix: ${d.fix}` : ''}`;
  const file = f.location?.file ?? (f.resource.kind === 'compose' ? input?.path : input?.program);
  const physical = file
    ? {
        physicalLocation: {
          artifactLocation: { uri: toUri(file, cwd) },
          ...(f.location?.line !== undefined ? { region: { startLine: f.location.line } } : {}),
        },
      }
    : {};
  const logical = {
    logicalLocations: [
      {
        name: f.resource.name,
        fullyQualifiedName: f.resource.urn ?? `${f.resource.kind}:${f.resource.name}`,
        kind: 'resource',
      },
    ],
  };
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    kind: f.status === 'unknown' ? 'review' : 'fail',
    level: f.status === 'unknown' ? 'note' : f.status === 'error' ? 'error' : LEVEL[f.severity],
    message: { text },
    locations: [{ ...physical, ...logical }],
    partialFingerprints: { 'bulkheadFinding/v1': print },
    properties: { severity: f.severity, status: f.status, path: f.path },
  };
  const ruleIndex = index.get(f.ruleId);
  if (ruleIndex !== undefined) out.ruleIndex = ruleIndex;
  if (f.ignoredExemption) {
    // Not a `suppressions` entry: some consumers hide a result with any suppression, whatever its status.
    const i = f.ignoredExemption;
    (out.properties as Record<string, unknown>).ignoredExemption = {
      reason: i.reason,
      from: i.from,
      ...(i.expires ? { expires: i.expires } : {}),
      why: i.why,
    };
  }
  if (f.status === 'exempt' && f.exemption) {
    out.suppressions = [
      {
        kind: f.exemption.from === 'label' ? 'inSource' : 'external',
        status: 'accepted',
        justification: f.exemption.reason,
      },
    ];
  }
  return out;
}

/** A finding's fingerprint on its own (core's {@link fingerprintFindings}: rule, resource identity, field path; not the message). */
export function fingerprint(f: Pick<CliFinding, 'ruleId' | 'resource' | 'path'>): string {
  return fingerprintFindings([f])[0]!;
}

function toUri(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return rel.split(path.sep).map(encodeURIComponent).join('/');
  }
  return `file://${abs.split(path.sep).map(encodeURIComponent).join('/')}`;
}
