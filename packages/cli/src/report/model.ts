import {
  type BaselineEntry,
  type Catalog,
  type ExemptionProblem,
  type Finding,
  type FindingResource,
  type InputKind,
  type ProfileName,
  type Rule,
  SEVERITIES,
  type Severity,
  type Summary,
} from '@bulkhead/core';

/** One input the CLI read: a file, a Pulumi project, or a Docker engine. */
export interface InputInfo {
  /** What the user named (a path, or `docker://…` for `audit`). */
  path: string;
  kind: InputKind;
  /** For Pulumi projects: the program's entry file, used as the physical location in SARIF. */
  program?: string;
}

/** A finding tagged with the index of the input it came from. */
export interface CliFinding extends Finding {
  input: number;
}

/** A resource that was evaluated (with or without findings). */
export interface CliResource extends FindingResource {
  input: number;
}

/**
 * Everything a reporter needs: the merged result of evaluating one or more inputs. Reporters are
 * pure functions of this (and their options) to a string.
 */
export interface CliReport {
  tool: { name: string; version: string };
  profile: ProfileName;
  inputs: InputInfo[];
  resources: CliResource[];
  findings: CliFinding[];
  summary: Summary;
  exemptionProblems: ExemptionProblem[];
  /** Ids of the rules that ran (profile, then `only`). */
  rules: string[];
  /** With `--baseline`: the file, how many failed findings it accepted (left out of `findings`), its stale entries. */
  baseline?: { file: string; accepted: number; stale: BaselineEntry[] };
}

/** Options every reporter accepts. */
export interface ReportOptions {
  /** The catalog to take rule metadata from (Bulkhead's by default). */
  catalog: Catalog;
  /** ANSI colours (table only). */
  color?: boolean;
}

/** Rank of a severity: 0 is critical. */
const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

const STATUS_ORDER = { fail: 0, error: 1, unknown: 2, exempt: 3 } as const;

/** Findings ordered for reading: by input, resource, then fail/error/unknown/exempt, severity, rule. */
export function sortFindings<T extends Finding & { input: number }>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      a.input - b.input ||
      resourceKey(a.resource).localeCompare(resourceKey(b.resource)) ||
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      severityRank(a.severity) - severityRank(b.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.path.localeCompare(b.path),
  );
}

/** A stable identity of a resource: its URN where it has one, else kind/scope/name. */
export function resourceKey(r: FindingResource): string {
  return r.urn ?? `${r.kind}:${r.scope}:${r.name}`;
}

/** The remediation text for the kind of input a finding came from (core's, one selection for every surface). */
export { fixFor } from '@bulkhead/core';

/** The rules of the catalog that apply to a resource's scope, among those that ran. */
export function rulesFor(report: CliReport, resource: FindingResource, catalog: Catalog): Rule[] {
  const ran = new Set(report.rules);
  return catalog.rules.filter(
    (r) =>
      ran.has(r.id) &&
      (r.scope === resource.scope || (r.scope === 'stack' && resource.scope === 'container')),
  );
}
