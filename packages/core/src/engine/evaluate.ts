import { LABELS } from '../model/labels.js';
import type { ContainerSpec, NetworkSpec, ResourceSet, SourceInfo } from '../model/spec.js';
import { isKnown, isUnknown, reveal } from '../model/value.js';
import { type Outcome, type ProfileName, type Rule, SEVERITIES, type Severity } from '../rules/types.js';
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
  const cat = options.catalog ?? defaultCatalog;
  let rules: readonly Rule[] = cat.profile(options.profile ?? 'restricted');
  if (options.only) {
    const only = new Set(options.only);
    rules = rules.filter((r) => only.has(r.id));
  }
  const now = options.now ?? new Date();
  const exemptions = compileExemptions(options.exemptions ?? [], cat, now);
  const useLabels = options.labelExemptions ?? true;
  const findings: Finding[] = [];
  const labelKeys = new Map(rules.map((r) => [r.id, labelKeysOf(r.id)]));
  // One resource descriptor per spec, shared by its findings (built lazily: most specs pass most rules).
  const resourceBySpec = new Map<ContainerSpec | NetworkSpec, FindingResource>();

  const emit = (
    rule: Rule,
    spec: ContainerSpec | NetworkSpec,
    scope: 'container' | 'network',
    o: Outcome,
  ) => {
    if (o.status === 'pass') return;
    let resource = resourceBySpec.get(spec);
    if (!resource) {
      resource = resourceOf(spec.source, scope);
      resourceBySpec.set(spec, resource);
    }
    const path = sourcePath(spec, o.path);
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      status: o.status,
      resource,
      path,
      specPath: o.path,
      message: o.message,
    };
    const location = locate(spec.source, path);
    if (location) finding.location = location;
    const exemption =
      exemptions.match(rule.id, resource) ??
      (useLabels ? labelExemption(spec, labelKeys.get(rule.id)!, now) : undefined);
    if (exemption) {
      finding.status = 'exempt';
      finding.exemption = exemption;
    }
    findings.push(finding);
  };

  // Entries that are not specs (no `source`) cannot come from an adapter; they are skipped, not fatal.
  const containers = Array.isArray(resources?.containers) ? resources.containers.filter(isSpec) : [];
  const networks = Array.isArray(resources?.networks) ? resources.networks.filter(isSpec) : [];
  const containerSet = new Set<ContainerSpec | NetworkSpec>(containers);
  for (const rule of rules) {
    if (rule.scope === 'container') {
      for (const c of containers) for (const o of run(rule, c)) emit(rule, c, 'container', o);
    } else if (rule.scope === 'network') {
      for (const n of networks) for (const o of run(rule, n)) emit(rule, n, 'network', o);
    } else {
      let outs: readonly (Outcome & { resource?: ContainerSpec | NetworkSpec })[];
      try {
        outs = rule.check({ containers, networks });
      } catch {
        outs = [];
      }
      for (const o of outs) {
        const target = o.resource;
        if (!target) continue;
        emit(rule, target, containerSet.has(target) ? 'container' : 'network', o);
      }
    }
  }

  return {
    findings,
    summary: summarize(findings, containers.length, networks.length, rules.length),
    exemptionProblems: exemptions.problems(),
  };
}

/** True for an adapter-made spec: one with a `source` that names the resource. */
function isSpec(v: unknown): boolean {
  const source = (v as { source?: Partial<SourceInfo> | null } | null)?.source;
  return typeof source === 'object' && source !== null && typeof source.name === 'string';
}

function run(
  rule: Rule & { scope: 'container' | 'network' },
  spec: ContainerSpec | NetworkSpec,
): readonly Outcome[] {
  try {
    const out = (rule.check as (s: typeof spec) => Outcome | readonly Outcome[])(spec);
    return Array.isArray(out) ? out : [out as Outcome];
  } catch {
    return [{ status: 'unknown', path: '', message: 'the rule could not read this resource' }];
  }
}

function resourceOf(source: SourceInfo, scope: 'container' | 'network'): FindingResource {
  const r: FindingResource = { kind: source.kind, scope, name: source.name, type: source.type };
  if (source.urn) r.urn = source.urn;
  if (source.parent) r.parent = source.parent;
  return r;
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

function labelKeysOf(ruleId: string): LabelKeys {
  return { reason: `${LABELS.exemptPrefix}${ruleId}`, expires: `${LABELS.exemptExpiresPrefix}${ruleId}` };
}

function labelExemption(
  spec: ContainerSpec | NetworkSpec,
  keys: LabelKeys,
  now: Date,
): AppliedExemption | undefined {
  const labels = spec.labels;
  if (!isKnown(labels) || typeof labels !== 'object') return undefined;
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

function compileExemptions(list: readonly Exemption[], cat: Catalog, now: Date) {
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
    } else if (isExpired(e, now)) {
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

function summarize(
  findings: readonly Finding[],
  containers: number,
  networks: number,
  rules: number,
): Summary {
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let fail = 0;
  let unknown = 0;
  let exempt = 0;
  for (const f of findings) {
    if (f.status === 'fail') {
      fail++;
      failBySeverity[f.severity]++;
    } else if (f.status === 'unknown') unknown++;
    else exempt++;
  }
  return { containers, networks, rules, fail, unknown, exempt, failBySeverity };
}

/** True when `v` is unknown; re-exported for rule authors. */
export { isUnknown };
