import type { InputKind, Location } from '../model/spec.js';
import { type RuleMeta, SEVERITIES, type Severity } from '../rules/types.js';

/**
 * Status of a finding. Passing checks produce no finding. `error`: the rule itself broke on this
 * resource (it threw, or returned a malformed outcome): the resource was not judged by it.
 */
export type FindingStatus = 'fail' | 'unknown' | 'exempt' | 'error';

/** The resource a finding is about. */
export interface FindingResource {
  kind: InputKind;
  scope: 'container' | 'network';
  name: string;
  type: string;
  urn?: string;
  parent?: string;
  /** Compose profiles the service belongs to; absent when it runs in every profile. */
  profiles?: string[];
}

/** Why a finding is exempt. */
export interface AppliedExemption {
  /** The written reason; `[secret]` when the source marked it secret. */
  reason: string;
  /** `config`: an exemptions file/option; `label`: a `dev.bulkhead.exempt.*` label on the resource. */
  from: 'config' | 'label';
  expires?: string;
}

/**
 * An exemption label that did not apply to a finding: its source is not trusted (labels a live
 * engine reports), or the label is invalid or expired. Shown so that nobody is surprised either way.
 */
export interface IgnoredExemption extends AppliedExemption {
  /** Why it did not apply. */
  why: string;
}

/** One failed, undecidable or exempted check. */
export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  resource: FindingResource;
  /** Field path in the input's own terms (`capabilities.drops`, `services.web.cap_drop`). */
  path: string;
  /** Field path in {@link ContainerSpec} terms. */
  specPath: string;
  /** What is wrong; never contains an input value. */
  message: string;
  location?: Location;
  exemption?: AppliedExemption;
  /** An exemption label for this rule that did not apply (see {@link IgnoredExemption}). */
  ignoredExemption?: IgnoredExemption;
}

/** Counts over a report. */
export interface Summary {
  containers: number;
  networks: number;
  rules: number;
  fail: number;
  unknown: number;
  exempt: number;
  /** Findings of rules that broke (threw or returned a malformed outcome). */
  error: number;
  /** Failed findings per severity. */
  failBySeverity: Record<Severity, number>;
}

/** A summary with every count at zero, for `rules` rules (what nothing evaluated adds up to). */
export function emptySummary(rules: number): Summary {
  return {
    containers: 0,
    networks: 0,
    rules,
    fail: 0,
    unknown: 0,
    exempt: 0,
    error: 0,
    failBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
  };
}

/** Adds one finding to a summary's counts (by status; failures by severity too). */
export function countFinding(summary: Summary, f: Pick<Finding, 'status' | 'severity'>): void {
  if (f.status === 'fail') {
    summary.fail++;
    summary.failBySeverity[f.severity]++;
  } else summary[f.status]++;
}

/** A finding in parts, for a surface to lay out (see {@link describeFinding}). */
export interface FindingParts {
  /** The rule's title. */
  title: string;
  /** What is wrong (or could not be decided); never contains an input value. */
  what: string;
  /** Where, in the input's own terms: the field path (`capabilities.drops`), or `''` for the whole resource. */
  where: string;
  /** The resource's name. */
  resource: string;
  /** The fix, phrased for the kind of input the finding came from; absent for a rule not in the catalog. */
  fix?: string;
}

/**
 * The remediation for one kind of input: compose files get the compose text, live containers the
 * `docker run` flags, every Pulumi input (program, preview, stack export) the Pulumi text.
 */
export function fixFor(rule: Pick<RuleMeta, 'remediation'> | undefined, kind: InputKind): string | undefined {
  if (!rule) return undefined;
  switch (kind) {
    case 'compose':
      return rule.remediation.compose;
    case 'inspect':
      return rule.remediation.dockerRun;
    default:
      return rule.remediation.pulumi;
  }
}

/**
 * The one description of a finding every surface lays out (the CLI's table and SARIF, the policy
 * pack's messages, the components' argument errors): what is wrong, where, and the fix for the
 * finding's input kind. Texts are as the input gave them: a surface that prints to a terminal
 * escapes them.
 */
export function describeFinding(
  f: Finding,
  rule: Pick<RuleMeta, 'title' | 'remediation'> | undefined,
): FindingParts {
  const parts: FindingParts = {
    title: rule?.title ?? f.title,
    what: f.message,
    where: f.path,
    resource: f.resource.name,
  };
  const fix = fixFor(rule, f.resource.kind);
  if (fix !== undefined) parts.fix = fix;
  return parts;
}
