import type { ContainerSpec, NetworkSpec, ResourceSet } from '../model/spec.js';

/** How bad a failed control is. Ordered from worst to least. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** How bad a failed control is. */
export type Severity = (typeof SEVERITIES)[number];

/** Profiles, like the Pod Security Standards levels: `restricted` includes `baseline`. */
export const PROFILES = ['baseline', 'restricted'] as const;
/** A profile name. */
export type ProfileName = (typeof PROFILES)[number];

/** Published benchmarks a rule maps to. */
export interface RuleReferences {
  /** CIS Docker Benchmark v1.6 recommendation id, e.g. `5.5`. */
  cis?: string;
  /** Kubernetes Pod Security Standards control, e.g. `Privileged Containers (baseline)`. */
  pss?: string;
  /**
   * NIST SP 800-190 (Application Container Security Guide) countermeasure section, e.g. `4.4.3`
   * (insecure container runtime configurations).
   */
  nist?: string;
  /** Upstream documentation for the setting. */
  docs: string;
}

/** How to fix a failure in each kind of input. */
export interface Remediation {
  /** `@pulumi/docker` `ContainerArgs` (or `@bulkhead/components`) fix. */
  pulumi: string;
  /** docker compose fix. */
  compose: string;
  /** `docker run` flags fix. */
  dockerRun: string;
}

/** The result of one check: pass, fail or unknown (the input was not known yet). */
export type Outcome =
  | { status: 'pass' }
  | {
      status: 'fail' | 'unknown';
      /** Spec field path (`capAdd[1]`, `mounts[0].source`); translated to the source's path in findings. */
      path: string;
      /** What is wrong. Never contains a property value from the input. */
      message: string;
      /**
       * How bad this failure is, when the rule grades its failures (`no-sensitive-mounts`: `/etc/shadow`
       * is worse than `/usr/share`); the rule's own severity otherwise.
       */
      severity?: Severity;
    };

/** A stack-level outcome names the container or network it is about. */
export type StackOutcome = Exclude<Outcome, { status: 'pass' }> & {
  resource: ContainerSpec | NetworkSpec;
};

/** Field overrides: a value replaces the field, `undefined` removes it (the setting is absent). */
export type FieldOverrides<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * A minimal insecure case of a container or network rule: overrides of the test kit's compliant
 * container (`compliantContainer()` in `@bulkhead/core/testing`) or network that make the rule
 * fail, and the spec path it fails at. Core's tests, the policy pack's tests and the rule docs
 * read it.
 */
export interface ResourceExample<S> {
  insecure: FieldOverrides<S>;
  fails: string;
}

/**
 * A minimal insecure case of a stack rule: containers (each the compliant container with these
 * overrides; give each a distinct `name`) and networks, and the failures as `name: path`.
 */
export interface StackExample {
  containers: readonly (FieldOverrides<ContainerSpec> & { name: string })[];
  networks?: readonly (FieldOverrides<NetworkSpec> & { name: string })[];
  fails: readonly string[];
}

/** Everything a rule says about itself; docs, the policy pack and the CLI derive from this. */
export interface RuleMeta {
  /**
   * Stable kebab-case id. Bulkhead's own rules have bare ids (`no-privileged`); a rule package's
   * ids are namespaced, `<namespace>/<id>` (`acme/owner-label`), so they never collide with ours.
   */
  id: string;
  title: string;
  severity: Severity;
  /** The least strict profile the rule belongs to. */
  level: ProfileName;
  /** Why it matters. */
  rationale: string;
  remediation: Remediation;
  references: RuleReferences;
  /** Free tags a selection query can match (`--tag`, `tags:`), e.g. `supply-chain`, `team:payments`. */
  tags?: readonly string[];
  /**
   * Frameworks the rule maps to beyond its {@link RuleReferences} (which give `cis`, `pss` and
   * `nist-800-190`), e.g. `soc2` or `acme-baseline`: matched by a query's `frameworks`.
   */
  frameworks?: readonly string[];
}

/**
 * What a machine fix may ask of the caller about a raw input value: the value behind a secret
 * wrapper of the caller's SDK (`@pulumi/policy`'s `Secret` on Remediate), whether it is one, and
 * whether it is Pulumi's unknown sentinel (a value computed at deployment).
 */
export interface FixValues {
  plain(v: unknown): unknown;
  isSecret(v: unknown): boolean;
  isUnknown(v: unknown): boolean;
}

/**
 * A behaviour-preserving fix of a resource's raw `@pulumi/docker` inputs (policy `remediate`
 * enforcement): it edits `props` in place only where the program left the setting unset (an
 * explicit choice is never overridden, an unknown or secret value never touched) and returns true
 * when it changed something. Whether it worked is decided by running the rule again on the result.
 */
export interface PulumiInputFix {
  apply(props: Record<string, unknown>, values: FixValues): boolean;
}

/** A rule over one container. */
export interface ContainerRule extends RuleMeta {
  scope: 'container';
  /** The rule's minimal failing case (every built-in rule has one; the docs show it). */
  example?: ResourceExample<ContainerSpec>;
  /** Where the rule has one: its machine fix of `@pulumi/docker` `Container` inputs (the pack's `remediate`). */
  pulumiFix?: PulumiInputFix;
  check(spec: ContainerSpec): Outcome | readonly Outcome[];
}

/** A rule over one network. */
export interface NetworkRule extends RuleMeta {
  scope: 'network';
  /** The rule's minimal failing case (every built-in rule has one; the docs show it). */
  example?: ResourceExample<NetworkSpec>;
  check(spec: NetworkSpec): Outcome | readonly Outcome[];
}

/** A rule that needs the whole stack (shared networks, published ports, links). */
export interface StackRule extends RuleMeta {
  scope: 'stack';
  /** The rule's minimal failing case (every built-in rule has one; the docs show it). */
  example?: StackExample;
  check(resources: ResourceSet): readonly StackOutcome[];
}

/** Any rule in the catalog. */
export type Rule = ContainerRule | NetworkRule | StackRule;

/** A passing outcome. */
export const pass = (): Outcome => PASS;
const PASS: Outcome = Object.freeze({ status: 'pass' as const });

/**
 * A failing outcome at a spec path. The message must not echo input values. `severity` grades this
 * failure when it differs from the rule's own.
 */
export const fail = (path: string, message: string, severity?: Severity): Outcome =>
  severity === undefined ? { status: 'fail', path, message } : { status: 'fail', path, message, severity };

/** The message of an unknown outcome that gives no other: a Pulumi output not computed yet. */
export const DEFAULT_UNKNOWN = 'value is not known until the resource is created';

/**
 * An undecidable outcome: the value at `path` is not known yet. Where the input says why (a
 * compose variable that is not set, in `SourceInfo.unknownReasons`), the finding says that.
 */
export const unknown = (path: string, message = DEFAULT_UNKNOWN): Outcome => ({
  status: 'unknown',
  path,
  message,
});
