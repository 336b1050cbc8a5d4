/**
 * Runs core's catalog over what the analyzer hands the pack. Every policy of one Analyze request
 * sees the same resource, so the findings for all rules are computed once and looked up per
 * policy (keyed by the resource, its properties and the settings generation).
 */
import {
  Catalog,
  type ContainerSpec,
  type ExemptionProblem,
  evaluate,
  type Finding,
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
  fromPulumiServiceArgs,
  type NetworkSpec,
  PULUMI_TYPES,
  type PulumiResourceInput,
  type ResourceSet,
  type SourceInfo,
} from '@bulkhead/core';
import type { Settings, SettingsStore } from './settings.js';

/** The docker resource types the pack reads. */
export const DOCKER_TYPES: ReadonlySet<string> = new Set(Object.values(PULUMI_TYPES));

/** One resource as a resource policy sees it. */
export interface ResourceRef {
  type: string;
  name: string;
  urn: string;
  parent?: string | undefined;
  /** Raw properties (unknowns as sentinels), as core's adapters accept them. */
  props: Record<string, unknown>;
  /**
   * True when `props` is the request's own decoded object (see sdk.ts): one object per
   * request, so its identity is the cache key and no serialization is needed.
   */
  fromRequest?: boolean;
}

/** Converts one docker resource into core's model; `undefined` for other types. */
export function adapt(r: ResourceRef): ResourceSet | undefined {
  const source: Partial<SourceInfo> = { kind: 'pulumi', name: r.name, urn: r.urn };
  if (r.parent) source.parent = r.parent;
  let container: ContainerSpec | undefined;
  let network: NetworkSpec | undefined;
  if (r.type === PULUMI_TYPES.container) container = fromPulumiContainerArgs(r.props, source);
  else if (r.type === PULUMI_TYPES.service) container = fromPulumiServiceArgs(r.props, source);
  else if (r.type === PULUMI_TYPES.network) network = fromPulumiNetworkArgs(r.props, source);
  else return undefined;
  return { containers: container ? [container] : [], networks: network ? [network] : [] };
}

function group(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.ruleId);
    if (list) list.push(f);
    else out.set(f.ruleId, [f]);
  }
  return out;
}

const NONE: ReadonlyMap<string, Finding[]> = new Map();

/** Findings per rule id, computed once per distinct resource and settings. */
export class Analysis {
  #resourceKey = '';
  #resourceFindings: ReadonlyMap<string, Finding[]> = NONE;
  readonly #byRequest = new WeakMap<
    object,
    { generation: number; findings: ReadonlyMap<string, Finding[]> }
  >();
  #stackKey = '';
  #stack: { findings: ReadonlyMap<string, Finding[]>; problems: ExemptionProblem[] } = {
    findings: NONE,
    problems: [],
  };

  /**
   * The container and network rules: a resource policy never reads a stack rule's findings, so
   * one resource's evaluation skips them.
   */
  readonly #resourceRules: Catalog;

  constructor(
    private readonly catalog: Catalog,
    private readonly settings: SettingsStore,
  ) {
    this.#resourceRules = new Catalog(catalog.rules.filter((r) => r.scope !== 'stack'));
  }

  #options(s: Settings, only?: readonly string[], catalog = this.catalog) {
    const base = { catalog, profile: s.profile, exemptions: s.exemptions };
    const limited = s.maxExpiryDays === undefined ? base : { ...base, maxExpiryDays: s.maxExpiryDays };
    return only ? { ...limited, only } : limited;
  }

  /** Findings of every container and network rule for one resource (no stack rule's). */
  resource(r: ResourceRef): ReadonlyMap<string, Finding[]> {
    if (r.fromRequest) {
      const hit = this.#byRequest.get(r.props);
      if (hit && hit.generation === this.settings.generation) return hit.findings;
      const findings = this.#evaluate(r);
      this.#byRequest.set(r.props, { generation: this.settings.generation, findings });
      return findings;
    }
    const key = `${this.settings.generation}\u0000${r.type}\u0000${r.urn}\u0000${r.parent ?? ''}\u0000${JSON.stringify(r.props)}`;
    if (key !== this.#resourceKey) {
      this.#resourceFindings = this.#evaluate(r);
      this.#resourceKey = key;
    }
    return this.#resourceFindings;
  }

  #evaluate(r: ResourceRef): ReadonlyMap<string, Finding[]> {
    const set = adapt(r);
    if (!set) return NONE;
    const options = this.#options(this.settings.current.settings, undefined, this.#resourceRules);
    return group(evaluate(set, options).findings);
  }

  /**
   * Findings of the given rules (default: every rule) over a whole stack, and the problems with
   * the configured exemptions (expired, unused).
   */
  stack(
    resources: readonly PulumiResourceInput[],
    only?: readonly string[],
  ): { findings: ReadonlyMap<string, Finding[]>; problems: ExemptionProblem[] } {
    const key = `${this.settings.generation}\u0000${only?.join(',') ?? '*'}\u0000${JSON.stringify(resources)}`;
    if (key !== this.#stackKey) {
      const report = evaluate(
        fromPulumiResources(resources),
        this.#options(this.settings.current.settings, only),
      );
      this.#stack = { findings: group(report.findings), problems: report.exemptionProblems };
      this.#stackKey = key;
    }
    return this.#stack;
  }
}
