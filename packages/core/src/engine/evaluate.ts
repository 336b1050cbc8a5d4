import { LABELS } from '../model/labels.js';
import type { ContainerSpec, NetworkSpec, ResourceSet, SourceInfo } from '../model/spec.js';
import { isKnown, isUnknown, type MaybeSecret, reveal, type Val } from '../model/value.js';
import { DEFAULT_UNKNOWN, type Outcome, type ProfileName, type Rule, type Severity } from '../rules/types.js';
import { sharingParses } from '../rules/util.js';
import { type Catalog, catalog as defaultCatalog } from './catalog.js';
import { type Exemption, globMatcher, isExpired, isPastExpiry } from './exemptions.js';
import type { AppliedExemption, Finding, FindingResource, Summary } from './findings.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Which rules run. Default `restricted` (every rule). */
  profile?: ProfileName;
  /** Accepted risks, each with a reason. */
  exemptions?: readonly Exemption[];
  /** Honour `dev.bulkhead.exempt.<rule>` labels on resources. Default true. */
  labelExemptions?: boolean;
  /** Only these rule ids (after the profile). */
  only?: readonly string[];
  /** Catalog to use; defaults to Bulkhead's. */
  catalog?: Catalog;
  /** Clock for exemption expiry. */
  now?: Date;
}

/** A problem with the exemptions themselves. */
export interface ExemptionProblem {
  /** Index in the exemptions list. */
  index: number;
  kind: 'expired' | 'unknown-rule' | 'unused';
  message: string;
}

/** The result of {@link evaluate}. */
export interface Report {
  findings: Finding[];
  summary: Summary;
  exemptionProblems: ExemptionProblem[];
}

/**
 * Runs the catalog over a set of containers and networks.
 *
 * Never throws on odd input: a rule that throws is reported as an `unknown` finding for that rule.
 */
export function evaluate(resources: ResourceSet, options: EvaluateOptions = {}): Report {
  return sharingParses(() => evaluateAll(resources, options));
}

function evaluateAll(resources: ResourceSet, options: EvaluateOptions): Report {
  const cat = options.catalog ?? defaultCatalog;
  let rules: readonly Rule[] = cat.profile(options.profile ?? 'restricted');
  if (options.only) {
    const only = new Set(options.only);
    rules = rules.filter((r) => only.has(r.id));
  }
  // The clock is read only when an exemption needs it.
  let clock: Date | undefined = options.now;
  const now = () => (clock ??= new Date());
  const exemptions = compileExemptions(options.exemptions ?? [], cat, now);
  const useLabels = options.labelExemptions ?? true;
  const paths = sourcePaths();
  const plan = planOf(rules);
  // The summary's counts, kept as findings are made.
  const tally = {
    fail: 0,
    unknown: 0,
    exempt: 0,
    failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } as Record<Severity, number>,
  };

  // Each rule's findings (by the rule's index), in catalog order: a report lists them rule by rule.
  const byRule: (Finding[] | undefined)[] = new Array(rules.length);
  const emit = (
    r: number,
    rule: Rule,
    spec: ContainerSpec | NetworkSpec,
    facts: SpecFacts,
    o: Outcome & { status: 'fail' | 'unknown' },
  ) => {
    const path = paths.of(spec, o.path);
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: o.severity ?? rule.severity,
      status: o.status,
      resource: facts.resource,
      path,
      specPath: o.path,
      message:
        o.status === 'unknown' && spec.source.unknownReasons
          ? explain(spec.source.unknownReasons, path, o.message)
          : o.message,
    };
    const location = locate(spec.source, path);
    if (location) finding.location = location;
    const exemption =
      exemptions.match(rule.id, facts.resource) ??
      (facts.exemptLabels ? labelExemption(facts.exemptLabels, labelKeysOf(rule.id), now()) : undefined);
    if (exemption) {
      finding.status = 'exempt';
      finding.exemption = exemption;
    }
    const into = byRule[r];
    if (into) into.push(finding);
    else byRule[r] = [finding];
    if (finding.status === 'fail') {
      tally.fail++;
      tally.failBySeverity[finding.severity]++;
    } else if (finding.status === 'unknown') tally.unknown++;
    else tally.exempt++;
  };

  // Entries that are not specs (no `source`) cannot come from an adapter; they are skipped, not fatal.
  const containers = Array.isArray(resources?.containers) ? resources.containers.filter(isSpec) : [];
  const networks = Array.isArray(resources?.networks) ? resources.networks.filter(isSpec) : [];
  // What every finding about one spec shares, built on its first finding (most specs pass most
  // rules), indexed like the spec lists so that the per-finding path needs no map lookup.
  const containerFacts: (SpecFacts | undefined)[] = new Array(containers.length);
  const networkFacts: (SpecFacts | undefined)[] = new Array(networks.length);
  const factsAt = (
    list: readonly (ContainerSpec | NetworkSpec)[],
    facts: (SpecFacts | undefined)[],
    i: number,
    scope: 'container' | 'network',
  ): SpecFacts => {
    let f = facts[i];
    if (f === undefined) {
      f = factsOf(list[i]!, scope, useLabels);
      facts[i] = f;
    }
    return f;
  };
  /**
   * Runs every rule of one scope on each spec in turn (spec by spec, not rule by rule: one spec's
   * fields and its shared parses are read by all its rules while they are still in cache).
   */
  const runSpecs = (
    scope: 'container' | 'network',
    list: readonly (ContainerSpec | NetworkSpec)[],
    facts: (SpecFacts | undefined)[],
  ) => {
    const { at, checks } = plan[scope];
    for (let i = 0; i < list.length; i++) {
      const spec = list[i]!;
      for (let c = 0; c < checks.length; c++) {
        let out: Outcome | readonly Outcome[];
        try {
          out = checks[c]!(spec);
        } catch {
          out = UNREADABLE;
        }
        const r = at[c]!;
        if (Array.isArray(out)) {
          for (const o of out as readonly Outcome[]) {
            if (o.status !== 'pass') emit(r, rules[r]!, spec, factsAt(list, facts, i, scope), o);
          }
        } else {
          const o = out as Outcome;
          if (o.status !== 'pass') emit(r, rules[r]!, spec, factsAt(list, facts, i, scope), o);
        }
      }
    }
  };
  // Where a stack rule's target sits in the spec lists; built on the first stack finding.
  let stackIndex: Map<ContainerSpec | NetworkSpec, number> | undefined;

  runSpecs('container', containers, containerFacts);
  runSpecs('network', networks, networkFacts);
  for (const r of plan.stack) {
    const rule = rules[r] as Rule & { scope: 'stack' };
    let outs: readonly (Outcome & { resource?: ContainerSpec | NetworkSpec })[];
    try {
      outs = rule.check({ containers, networks });
    } catch {
      outs = [];
    }
    for (const o of outs) {
      const target = o.resource;
      if (!target || o.status === 'pass') continue;
      if (stackIndex === undefined) {
        // Networks as ~index, then containers: an object listed as both counts as a container.
        stackIndex = new Map<ContainerSpec | NetworkSpec, number>([
          ...networks.map((n, i): [NetworkSpec, number] => [n, ~i]),
          ...containers.map((c, i): [ContainerSpec, number] => [c, i]),
        ]);
      }
      const at = stackIndex.get(target);
      const facts =
        at === undefined
          ? factsOf(target, 'network', useLabels)
          : at >= 0
            ? factsAt(containers, containerFacts, at, 'container')
            : factsAt(networks, networkFacts, ~at, 'network');
      emit(r, rule, target, facts, o);
    }
  }

  const findings: Finding[] = [];
  for (const list of byRule) if (list) for (const f of list) findings.push(f);
  return {
    findings,
    summary: {
      containers: containers.length,
      networks: networks.length,
      rules: rules.length,
      fail: tally.fail,
      unknown: tally.unknown,
      exempt: tally.exempt,
      failBySeverity: tally.failBySeverity,
    },
    exemptionProblems: exemptions.problems(),
  };
}

type Check = (s: ContainerSpec | NetworkSpec) => Outcome | readonly Outcome[];
/** The indexes and checks of one scope's rules, in catalog order. */
interface ScopePlan {
  at: number[];
  checks: Check[];
}
/** Which of a rule list's rules run per container, per network and once per stack. */
interface Plan {
  container: ScopePlan;
  network: ScopePlan;
  stack: number[];
}

const plans = new WeakMap<readonly Rule[], Plan>();

/** The plan of a rule list, built once per list (profiles are cached, frozen lists). */
function planOf(rules: readonly Rule[]): Plan {
  let plan = plans.get(rules);
  if (plan) return plan;
  plan = { container: { at: [], checks: [] }, network: { at: [], checks: [] }, stack: [] };
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.scope === 'stack') plan.stack.push(r);
    else {
      plan[rule.scope].at.push(r);
      plan[rule.scope].checks.push(rule.check as Check);
    }
  }
  if (Object.isFrozen(rules)) plans.set(rules, plan);
  return plan;
}

/** True for an adapter-made spec: one with a `source` that names the resource. */
function isSpec(v: unknown): boolean {
  const source = (v as { source?: Partial<SourceInfo> | null } | null)?.source;
  return typeof source === 'object' && source !== null && typeof source.name === 'string';
}

/** The outcome of a check that threw. */
const UNREADABLE: Outcome = Object.freeze({
  status: 'unknown' as const,
  path: '',
  message: 'the rule could not read this resource',
});

/** What every finding about one spec shares. */
interface SpecFacts {
  resource: FindingResource;
  /**
   * The spec's labels when at least one is a `dev.bulkhead.exempt.*` label (and labels are
   * honoured); `undefined` otherwise, so that findings of most specs need no label lookup.
   */
  exemptLabels: Labels | undefined;
}

function factsOf(
  spec: ContainerSpec | NetworkSpec,
  scope: 'container' | 'network',
  useLabels: boolean,
): SpecFacts {
  const labels = spec.labels;
  let exemptLabels: Labels | undefined;
  if (useLabels && isKnown(labels) && typeof labels === 'object') {
    for (const key in labels) {
      if (key.startsWith(LABELS.exemptPrefix)) {
        exemptLabels = labels;
        break;
      }
    }
  }
  return { resource: resourceOf(spec.source, scope), exemptLabels };
}

function resourceOf(source: SourceInfo, scope: 'container' | 'network'): FindingResource {
  const r: FindingResource = { kind: source.kind, scope, name: source.name, type: source.type };
  if (source.urn) r.urn = source.urn;
  if (source.parent) r.parent = source.parent;
  if (source.profiles && source.profiles.length > 0) r.profiles = [...source.profiles];
  return r;
}

/**
 * An unknown finding's message with the input's own reason (`depends on ${APP_UID}, which is not
 * set`) for the value at `path`, a field above it, or else the first one below it (by path).
 */
function explain(reasons: ReadonlyMap<string, string>, path: string, message: string): string {
  let reason: string | undefined;
  for (let p = path; p && reason === undefined; ) {
    reason = reasons.get(p);
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  if (reason === undefined) {
    // Below it: the first by path, so that the choice does not depend on the order of keys.
    let first: string | undefined;
    for (const [p, r] of reasons) {
      if ((p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) && (first === undefined || p < first)) {
        first = p;
        reason = r;
      }
    }
  }
  if (reason === undefined) return message;
  return message === DEFAULT_UNKNOWN ? `the value ${reason}` : `${message}: the value ${reason}`;
}

/**
 * Translates a spec path (`capDrop[2]`, `mounts[1].source`) into the input's own path using the
 * adapter's field map and each list item's `origin`.
 */
export function sourcePath(spec: ContainerSpec | NetworkSpec, specPath: string): string {
  const m = /^([A-Za-z]+)(?:\[(\d+)\])?(.*)$/.exec(specPath);
  if (!m) return specPath;
  const [, field, index, rest] = m as unknown as [string, string, string | undefined, string];
  const value = (spec as unknown as Record<string, unknown>)[field];
  if (index !== undefined && Array.isArray(value)) {
    const item = value[Number(index)] as { origin?: unknown } | undefined;
    if (item && typeof item === 'object' && typeof item.origin === 'string') {
      const sub = /^\.([A-Za-z]+)(.*)$/.exec(rest);
      const list = item.origin.replace(/\[\d+\]$/, '');
      const renamed = sub && spec.source.fieldPaths?.[`${list}[].${sub[1]}`];
      return renamed ? `${item.origin}.${renamed}${sub[2]}` : `${item.origin}${rest}`;
    }
  }
  const mapped = spec.source.fieldPaths?.[field] ?? field;
  return `${mapped}${index !== undefined ? `[${index}]` : ''}${rest}`;
}

/**
 * {@link sourcePath}, remembering the translation of paths without a list index per field map:
 * those depend on nothing else, and thousands of findings share a few of them.
 */
function sourcePaths() {
  const byMap = new Map<Readonly<Record<string, string>> | undefined, Map<string, string>>();
  return {
    of(spec: ContainerSpec | NetworkSpec, specPath: string): string {
      if (specPath.includes('[')) return sourcePath(spec, specPath);
      const map = spec.source.fieldPaths;
      let known = byMap.get(map);
      if (!known) {
        known = new Map();
        byMap.set(map, known);
      }
      let path = known.get(specPath);
      if (path === undefined) {
        path = sourcePath(spec, specPath);
        known.set(specPath, path);
      }
      return path;
    },
  };
}

function locate(source: SourceInfo, path: string): SourceInfo['location'] {
  const locs = source.locations;
  if (locs) {
    let p = path;
    while (p) {
      const hit = locs.get(p);
      if (hit) return hit;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) break;
      p = p.slice(0, cut);
    }
  }
  return source.location;
}

/** The label keys that exempt a finding of one rule: the reason and its optional expiry. */
interface LabelKeys {
  reason: string;
  expires: string;
}

const labelKeys = new Map<string, LabelKeys>();

/** The label keys of a rule id, built once per id. */
function labelKeysOf(ruleId: string): LabelKeys {
  let keys = labelKeys.get(ruleId);
  if (!keys) {
    keys = { reason: `${LABELS.exemptPrefix}${ruleId}`, expires: `${LABELS.exemptExpiresPrefix}${ruleId}` };
    labelKeys.set(ruleId, keys);
  }
  return keys;
}

/** A resource's known labels. */
type Labels = Record<string, Val<MaybeSecret>>;

function labelExemption(labels: Labels, keys: LabelKeys, now: Date): AppliedExemption | undefined {
  const reason = labels[keys.reason];
  if (!isKnown(reason)) return undefined;
  const text = reveal(reason).trim();
  if (text.length < 10) return undefined;
  const expiresRaw = labels[keys.expires];
  const out: AppliedExemption = { reason: text, from: 'label' };
  if (isKnown(expiresRaw)) {
    const expires = reveal(expiresRaw);
    if (isPastExpiry(expires, now)) return undefined;
    out.expires = expires;
  }
  return out;
}

function compileExemptions(list: readonly Exemption[], cat: Catalog, now: () => Date) {
  const used = new Set<number>();
  const problems: ExemptionProblem[] = [];
  const active: { index: number; e: Exemption; matches: (s: string) => boolean }[] = [];
  list.forEach((e, index) => {
    if (!cat.has(e.rule)) {
      problems.push({
        index,
        kind: 'unknown-rule',
        message: `exemptions[${index}].rule: no rule has this id`,
      });
    } else if (isExpired(e, now())) {
      problems.push({ index, kind: 'expired', message: `exemptions[${index}] expired on ${e.expires}` });
    } else {
      active.push({ index, e, matches: globMatcher(e.resource) });
    }
  });
  return {
    match(ruleId: string, r: FindingResource): AppliedExemption | undefined {
      for (const a of active) {
        if (a.e.rule !== ruleId) continue;
        if (a.matches(r.name) || (r.urn !== undefined && a.matches(r.urn))) {
          used.add(a.index);
          const out: AppliedExemption = { reason: a.e.reason, from: 'config' };
          if (a.e.expires) out.expires = a.e.expires;
          return out;
        }
      }
      return undefined;
    },
    problems(): ExemptionProblem[] {
      const unused = active
        .filter((a) => !used.has(a.index))
        .map<ExemptionProblem>((a) => ({
          index: a.index,
          kind: 'unused',
          message: `exemptions[${a.index}] (rule ${a.e.rule}) matched no finding`,
        }));
      return [...problems, ...unused].sort((x, y) => x.index - y.index);
    },
  };
}

/** True when `v` is unknown; re-exported for rule authors. */
export { isUnknown };
