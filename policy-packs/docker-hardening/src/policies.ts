/**
 * The pack's policies, generated from core's catalog: one policy per rule (name = rule id,
 * description = title, remediation steps, severity, CIS framework and docs URL from the rule's
 * metadata) plus the settings policy. No rule text is written here.
 */
import {
  type Catalog,
  DIGEST_IMAGE_TYPES,
  type Finding,
  PULUMI_TYPES,
  type PulumiResourceInput,
  type Rule,
  type Severity,
  escapeTerminal as t,
} from '@bulkhead/core';
import type {
  EnforcementLevel,
  Policy,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import { Analysis, DOCKER_TYPES, type ResourceRef } from './analysis.js';
import { errorText, exemptText, failText, unknownText } from './messages.js';
import { clonePlain, forAdapters } from './props.js';
import { fixOf } from './remediations.js';
import { possiblySecret, rawProps, WireProps } from './sdk.js';
import { SETTINGS_POLICY, SettingsStore, settingsConfigSchema } from './settings.js';

/** Pulumi severities (Pulumi has no `info`: it maps to `low`). */
const SEVERITY: Record<Severity, NonNullable<Policy['severity']>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'low',
};

/** Default enforcement: critical and high block, the rest warn. Overridable per policy by config. */
export function defaultEnforcement(severity: Severity): EnforcementLevel {
  return severity === 'critical' || severity === 'high' ? 'mandatory' : 'advisory';
}

/** The benchmark version the catalog's CIS ids refer to (see `RuleReferences.cis`). */
const CIS = { name: 'CIS Docker Benchmark', version: '1.6.0' };

/** Which resource types a rule's resource policy applies to. */
function typesOf(rule: Rule): readonly string[] {
  if (rule.scope === 'network') return [PULUMI_TYPES.network];
  if (rule.scope === 'container') return [PULUMI_TYPES.container, PULUMI_TYPES.service];
  return [];
}

/** The violation object `@pulumi/policy`'s reporter accepts besides a plain message. */
interface ViolationObject {
  message: string;
  urn?: string;
  enforcementLevel?: EnforcementLevel;
  /** This violation's severity, when the rule grades its findings (the policy's otherwise). */
  severity?: NonNullable<Policy['severity']>;
}

/**
 * Reports one finding. Failures and rule errors (the rule broke on this resource: fail closed)
 * take the policy's configured enforcement; findings that are
 * unknown (preview) or exempt are advisory notes, so neither can ever block an update.
 */
function report(reportViolation: ReportViolation, rule: Rule, f: Finding, urn?: string): void {
  const stack = urn !== undefined;
  const v: ViolationObject =
    f.status === 'fail'
      ? { message: failText(rule, f, stack) }
      : f.status === 'error'
        ? { message: errorText(rule, f, stack) }
        : {
            message: f.status === 'exempt' ? exemptText(rule, f, stack) : unknownText(rule, f, stack),
            enforcementLevel: 'advisory',
          };
  if (urn) v.urn = urn;
  if (f.severity !== rule.severity) v.severity = SEVERITY[f.severity];
  reportObject(reportViolation, v);
}

/**
 * The SDK's reporter takes a violation object as well as a string (server.js,
 * makeReportViolationFun); its TypeScript signature declares only the string form.
 */
function reportObject(reportViolation: ReportViolation, v: ViolationObject): void {
  (reportViolation as unknown as (v: ViolationObject) => void)(v);
}

/** A policy's metadata; the Pulumi CLI prints its texts beside violations, so a rule package's are escaped. */
function metadata(rule: Rule): Policy {
  const p: Policy = {
    name: rule.id,
    description: t(rule.title),
    displayName: t(rule.title),
    enforcementLevel: defaultEnforcement(rule.severity),
    severity: SEVERITY[rule.severity],
    tags: ['docker', rule.scope, `profile:${rule.level}`, `severity:${rule.severity}`],
    remediationSteps: t(rule.remediation.pulumi),
    url: rule.references.docs,
  };
  if (rule.references.cis) {
    p.framework = { ...CIS, reference: rule.references.cis, specification: t(rule.rationale) };
  }
  return p;
}

function resourceRef(
  args: ResourceValidationArgs,
  props: Record<string, unknown>,
  fromRequest = false,
): ResourceRef {
  return { type: args.type, name: args.name, urn: args.urn, parent: args.opts.parent, props, fromRequest };
}

/**
 * The resource as analyzed: the request's wire-form props (secrets marked) when sdk.ts recorded
 * them, else the SDK's props with every value treated as a secret.
 */
function analyzedRef(state: PackState, args: ResourceValidationArgs): ResourceRef {
  const wire = state.wire.get(args.urn);
  return wire ? resourceRef(args, wire, true) : resourceRef(args, possiblySecret(args.props));
}

function stackInputs(state: PackState, resources: readonly PolicyResource[]): PulumiResourceInput[] {
  const out: PulumiResourceInput[] = [];
  for (const r of resources) {
    // docker-build images too: whether one pushes decides whether an image taken from it is pinned.
    if (!DOCKER_TYPES.has(r.type) && r.type !== DIGEST_IMAGE_TYPES.buildImage) continue;
    const props = state.wire.get(r.urn) ?? possiblySecret(r.props);
    const input: PulumiResourceInput = { type: r.type, name: r.name, urn: r.urn, props };
    const parent = r.parent?.urn ?? r.opts.parent;
    if (parent) input.parent = parent;
    // What only the stack view has: dependencies (dependsOn links, where an image came from).
    if (Array.isArray(r.dependencies) && r.dependencies.length > 0)
      input.dependencies = r.dependencies.map((d) => d.urn);
    const pd = r.propertyDependencies;
    if (pd && typeof pd === 'object') {
      const byProperty: Record<string, string[]> = {};
      for (const k of Object.keys(pd)) byProperty[k] = (pd[k] ?? []).map((d) => d.urn);
      input.propertyDependencies = byProperty;
    }
    out.push(input);
  }
  return out;
}

/**
 * Container rules whose *unknown* findings the stack view can settle. An Analyze request carries
 * no dependencies, so during a preview the pack cannot tell from it that an unknown `image` is
 * `RemoteImage.repoDigest`; AnalyzeStack carries each input's dependencies. The resource policy
 * reports these rules' failures and exemptions; their unknowns are reported by the same policy's
 * stack validation, once the dependencies are known (nothing, when the image is a digest output).
 */
const SETTLED_BY_STACK: ReadonlySet<string> = new Set(['image-digest-pinned']);

/** Everything the policies share: the catalog, the settings and the findings cache. */
export interface PackState {
  catalog: Catalog;
  settings: SettingsStore;
  analysis: Analysis;
  /** The requests' own properties, recorded by sdk.ts while the SDK answers them. */
  wire: WireProps;
  /**
   * True once sdk.ts wrapped the analyzer service of the verified SDK version: then the SDK's
   * Remediate props can be read with secrets kept, and remediation runs.
   */
  verified: boolean;
}

/** Creates the shared state for a catalog. */
export function createState(catalog: Catalog): PackState {
  const settings = new SettingsStore(catalog);
  return {
    catalog,
    settings,
    analysis: new Analysis(catalog, settings),
    wire: new WireProps(),
    verified: false,
  };
}

function inProfile(state: PackState, rule: Rule): boolean {
  return state.catalog.inProfile(state.settings.current.settings.profile, rule);
}

function notInProfileReason(state: PackState, rule: Rule): string {
  return `rule is in the ${rule.level} profile; ${SETTINGS_POLICY} selects ${state.settings.current.settings.profile}`;
}

/**
 * The remediation of a rule with a known fix: apply the fix to a copy of the raw inputs, then keep
 * the result only when the rule passes on it. Nothing is changed for exempt or passing resources,
 * nor on an SDK sdk.ts was not verified with (the copy could lose which values are secrets).
 */
function remediation(state: PackState, rule: Rule): ResourceValidationPolicy['remediateResource'] {
  const fix = fixOf(rule);
  if (!fix) return undefined;
  const failsOn = (ref: ResourceRef): boolean => {
    const findings = state.analysis.resource(ref).get(rule.id) ?? [];
    return findings.some((f) => f.status === 'fail');
  };
  return (args) => {
    if (!state.verified || args.type !== PULUMI_TYPES.container || !inProfile(state, rule)) return undefined;
    const raw = rawProps(args.props);
    if (!failsOn(resourceRef(args, forAdapters(raw) as Record<string, unknown>))) return undefined;
    const fixed = clonePlain(raw);
    if (!fix(fixed)) return undefined;
    const after = resourceRef(args, forAdapters(fixed) as Record<string, unknown>);
    const findings = state.analysis.resource(after).get(rule.id) ?? [];
    return findings.length === 0 ? fixed : undefined;
  };
}

function resourcePolicy(state: PackState, rule: Rule): ResourceValidationPolicy {
  const types = new Set(typesOf(rule));
  const settledByStack = SETTLED_BY_STACK.has(rule.id);
  const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!types.has(args.type)) return;
    if (!inProfile(state, rule)) args.notApplicable(notInProfileReason(state, rule));
    const findings = state.analysis.resource(analyzedRef(state, args)).get(rule.id);
    for (const f of findings ?? [])
      if (!(settledByStack && f.status === 'unknown')) report(reportViolation, rule, f);
  };
  // A single resource type lets the SDK skip the policy for other types without deserializing.
  if (types.size === 1) Object.assign(validate, { __pulumiType: [...types][0] });
  const policy: ResourceValidationPolicy = { ...metadata(rule), validateResource: validate };
  const remediate = remediation(state, rule);
  if (remediate) policy.remediateResource = remediate;
  if (settledByStack) {
    (policy as ResourceValidationPolicy & StackValidationPolicy).validateStack = (args, reportViolation) => {
      if (!inProfile(state, rule)) return;
      const { findings } = state.analysis.stack(stackInputs(state, args.resources), [rule.id]);
      for (const f of findings.get(rule.id) ?? [])
        if (f.status === 'unknown') report(reportViolation, rule, f, f.resource.urn ?? '');
    };
  }
  return policy;
}

function stackPolicy(state: PackState, rule: Rule): StackValidationPolicy {
  return {
    ...metadata(rule),
    validateStack: (args, reportViolation) => {
      if (!inProfile(state, rule)) args.notApplicable(notInProfileReason(state, rule));
      const { findings } = state.analysis.stack(stackInputs(state, args.resources), [rule.id]);
      for (const f of findings.get(rule.id) ?? []) report(reportViolation, rule, f, f.resource.urn ?? '');
    },
  };
}

/**
 * The settings policy: carries `profile` and `exemptions` in its config, reports invalid settings
 * (mandatory by default) on every docker resource, and at the end of a preview or update reports
 * exemptions that expired or matched nothing (advisory).
 */
function settingsPolicy(state: PackState): ResourceValidationPolicy & StackValidationPolicy {
  return {
    name: SETTINGS_POLICY,
    description:
      'Settings of the Bulkhead Docker hardening pack (profile, exemptions); reports settings that are invalid.',
    displayName: 'Bulkhead settings',
    enforcementLevel: 'mandatory',
    tags: ['docker', 'settings'],
    configSchema: settingsConfigSchema(state.catalog),
    validateResource: (args, reportViolation) => {
      const { error } = state.settings.load(args.getConfig());
      if (error && DOCKER_TYPES.has(args.type)) reportViolation(error);
    },
    validateStack: (args, reportViolation) => {
      const { error } = state.settings.load(args.getConfig());
      if (error) return reportViolation(error);
      const { problems } = state.analysis.stack(stackInputs(state, args.resources));
      for (const p of problems) {
        if (p.kind === 'unknown-rule') continue; // rejected by validation already
        reportObject(reportViolation, {
          message: `${SETTINGS_POLICY}.${p.message}`,
          enforcementLevel: 'advisory',
        });
      }
    },
  };
}

/** Every policy of the pack: the settings policy first (it loads the settings), then one per rule. */
export function buildPolicies(state: PackState): (ResourceValidationPolicy | StackValidationPolicy)[] {
  if (state.catalog.has(SETTINGS_POLICY)) {
    throw new Error(`a catalog rule is named "${SETTINGS_POLICY}", the name of the pack's settings policy`);
  }
  return [
    settingsPolicy(state),
    ...state.catalog.rules.map((rule) =>
      rule.scope === 'stack' ? stackPolicy(state, rule) : resourcePolicy(state, rule),
    ),
  ];
}
