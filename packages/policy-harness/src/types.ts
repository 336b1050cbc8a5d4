/** Enforcement levels as the Pulumi engine names them. */
export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';

/** Policy severities as the analyzer protocol carries them. */
export type PolicySeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * Policy pack configuration in the shape of a `--policy-pack-config` file: per policy name an
 * enforcement level or an object of config properties (optionally with `enforcementLevel`), and
 * `all` for the level of every policy.
 */
export type PolicyPackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** Resource options as the engine sends them with every resource (`AnalyzerResourceOptions`). */
export interface ResourceOptionsInput {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  aliases?: string[];
  additionalSecretOutputs?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** A provider resource as sent with a resource. */
export interface ProviderInput {
  type: string;
  name: string;
  urn?: string;
  properties?: Record<string, unknown>;
}

/** One resource to analyze, in the harness's terms. */
export interface ResourceInput {
  /** Pulumi type token, e.g. `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Defaults to the URN Pulumi would build from the stack, project, parent and type. */
  urn?: string;
  /** Input properties; use `secret()` and `unknown()` for secrets and computed values. */
  properties?: Record<string, unknown>;
  /** Parent URN. Defaults to the stack's root resource, as for any resource without `parent`. */
  parent?: string;
  options?: ResourceOptionsInput;
  provider?: ProviderInput;
  /** URNs this resource depends on (stack analysis only). */
  dependencies?: string[];
  /** Per property, the URNs its value came from (stack analysis only). */
  propertyDependencies?: Record<string, string[]>;
}

/** A policy violation as the engine receives it. */
export interface Violation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  severity?: PolicySeverity;
  /** The resource the violation is about (set for stack policies and when the policy names one). */
  urn?: string;
}

/** A policy that declared itself not applicable to a resource, with its reason. */
export interface NotApplicable {
  policyName: string;
  reason: string;
}

/** The full answer of Analyze or AnalyzeStack. */
export interface AnalyzeResult {
  violations: Violation[];
  notApplicable: NotApplicable[];
}

/** One remediation a policy applied. */
export interface Remediation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  /** The resource's full properties after this remediation (harness values: secrets stay wrapped). */
  properties?: Record<string, unknown>;
  /** Set when the remediation could not run (e.g. an unknown value during preview). */
  diagnostic?: string;
}

/** The answer of Remediate. */
export interface RemediateResult {
  remediations: Remediation[];
  notApplicable: NotApplicable[];
  /** The properties after every remediation, in order (the input's when none applied). */
  properties: Record<string, unknown>;
}

/** A policy as described by GetAnalyzerInfo. */
export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  type: 'resource' | 'stack' | 'unknown';
  severity?: PolicySeverity;
  framework?: { name: string; version: string; reference: string; specification: string };
  tags: string[];
  remediationSteps: string;
  url: string;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** The pack's self-description (GetAnalyzerInfo). */
export interface AnalyzerInfo {
  name: string;
  displayName: string;
  version: string;
  description: string;
  supportsConfig: boolean;
  /** Sorted by name, as the engine sorts them. */
  policies: PolicyInfo[];
  initialConfig: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
}

/** A line the pack logged: through the engine's Log RPC, or on its stdout/stderr. */
export interface LogEntry {
  source: 'engine' | 'stdout' | 'stderr';
  severity: 'debug' | 'info' | 'warning' | 'error' | 'output';
  message: string;
  urn?: string;
}

/** What the engine did in a simulated preview. */
export interface PreviewResult {
  /** Violations of every resource's Analyze, then of AnalyzeStack. */
  violations: Violation[];
  remediations: Remediation[];
  /** Each resource's properties after remediation, by URN. */
  properties: Map<string, Record<string, unknown>>;
}
