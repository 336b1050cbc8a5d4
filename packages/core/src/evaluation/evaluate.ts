import { LABELS } from '../model/labels.js';
import type { ContainerSpec, InputKind, NetworkSpec, ResourceSet, SourceInfo } from '../model/spec.js';
import { isKnown, isUnknown } from '../model/value.js';
import { sharingParses } from '../rules/support/shared.js';
import { DEFAULT_UNKNOWN, type Outcome, type ProfileName, type Rule, SEVERITIES } from '../rules/types.js';
import { type Catalog, catalog as defaultCatalog } from './catalog.js';
import {
  coversEveryResource,
  DECLARED_LABEL_SOURCES,
  type Exemption,
  globMatcher,
  isExpired,
  type LabelCheck,
  type LabelExemption,
  readLabelExemptions,
  withLabelCheck,
} from './exemptions.js';
import {
  type AppliedExemption,
  countFinding,
  emptySummary,
  type Finding,
  type FindingResource,
  type IgnoredExemption,
  type Summary,
} from './findings.js';
import type { RuleQuery } from './query.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Which rules run. Default `restricted` (every rule). */
  profile?: ProfileName;
  /** Accepted risks, each with a reason. */
  exemptions?: readonly Exemption[];
  /**
   * Input kinds whose `dev.bulkhead.exempt.<rule>` labels exempt findings. Default
   * {@link DECLARED_LABEL_SOURCES}: labels a reviewed program, compose file or stack declares; not
   * labels a live engine reports (`inspect`), which whoever started the container wrote. Labels
   * from other kinds are still shown on the findings they would exempt, as ignored.
   */
  trustLabels?: readonly InputKind[];
  /** `false` honours no exemption label at all (same as `trustLabels: []`). */
  labelExemptions?: boolean;
  /** Longest an exemption label may run, in days from today; when set, labels need an expiry. */
  maxExpiryDays?: number;
  /** Only these rule ids (after the profile). */
  only?: readonly string[];
  /**
   * A selection query (after the profile, which the query's own `profile` replaces). Throws an
   * {@link InputError} when its `include`/`exclude` name no rule.
   */
  select?: RuleQuery;
  /** Catalog to use; defaults to Bulkhead's. */
  catalog?: Catalog;
  /** Clock for exemption expiry. */
  now?: Date;
}

/** A problem with the exemptions themselves. */
export interface ExemptionProblem {
  /** Index in the exemptions list. */
  index: number;
  /** `broad`: the exemption covers every resource of its rule (a warning; it still applies). */
  kind: 'expired' | 'unknown-rule' | 'unused' | 'broad';
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
 * Never throws on odd input: a rule that throws or returns a malformed outcome is reported as an
 * `error` finding of that rule on each resource it broke on, and the other rules still run.
 */
export function evaluate(resources: ResourceSet, options: EvaluateOptions = {}): Report {
  const cat = options.catalog ?? defaultCatalog;
  // The clock is read only when an exemption needs it.
  let clock: Date | undefined = options.now;
  const check: LabelCheck = {
    get now() {
      clock ??= new Date();
      return clock;
    },
    isRule: (id) => cat.has(id),
  };
  if (options.maxExpiryDays !== undefined) check.maxExpiryDays = options.maxExpiryDays;
  return withLabelCheck(check, () => sharingParses(() => evaluateAll(resources, options, check)));
}

function evaluateAll(resources: ResourceSet, options: EvaluateOptions, check: LabelCheck): Report {
  const cat = options.catalog ?? defaultCatalog;
  let rules: readonly Rule[] = options.select
    ? cat.select({ ...options.select, profile: options.select.profile ?? options.profile ?? 'restricted' })
    : cat.profile(options.profile ?? 'restricted');
  if (options.only) {
    const only = new Set(options.only);
    rules = rules.filter((r) => only.has(r.id));
  }
  const now = () => check.now;
  const exemptions = compileExemptions(options.exemptions ?? [], cat, now);
  const trusted: ReadonlySet<InputKind> = new Set(
    options.labelExemptions === false ? [] : (options.trustLabels ?? DECLARED_LABEL_SOURCES),
  );
  const labelsOf = (spec: ContainerSpec | NetworkSpec) => labelFacts(spec, trusted, check);
  const paths = sourcePaths();
  const plan = planOf(rules);
  // The summary's counts, kept as findings are made.
  const tally = emptySummary(rules.length);

  // Each rule's findings (by the rule's index), in catalog order: a report lists them rule by rule.
  const byRule: (Finding[] | undefined)[] = new Array(rules.length);
  const emit = (
    r: number,
    rule: Rule,
    spec: ContainerSpec | NetworkSpec,
    facts: SpecFacts,
    outcome: Outcome & { status: 'fail' | 'unknown' },
  ) => {
    const o = wellFormed(rule, outcome);
    const path = o.status === 'error' ? o.path : paths.of(spec, o.path);
    // A value that is there but cannot be read is not a value Pulumi has yet to compute: fail closed.
    const unreadable =
      o.status === 'unknown' && spec.source.unreadable
        ? unreadableAt(spec.source.unreadable, path)
        : undefined;
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: (o.status !== 'error' && o.severity) || rule.severity,
      status: unreadable ? 'fail' : o.status,
      resource: facts.resource,
      path: unreadable?.path ?? path,
      specPath: o.path,
      message: unreadable
        ? `${unreadable.path} is set but is not ${unreadable.expected}, so this check cannot pass: correct the value`
        : o.status === 'unknown' && spec.source.unknownReasons
          ? explain(spec.source.unknownReasons, path, o.message)
          : o.message,
    };
    const location = locate(spec.source, finding.path);
    if (location) finding.location = location;
    if (o.status === 'error') {
      // A broken rule judged nothing: there is no risk to accept, so no exemption applies.
      const into = byRule[r];
      if (into) into.push(finding);
      else byRule[r] = [finding];
      countFinding(tally, finding);
      return;
    }
    let exemption = exemptions.match(rule.id, facts.resource);
    const label = facts.labels?.byRule.get(rule.id);
    if (label) {
      if (!exemption && label.problem === undefined && facts.labels!.trusted) {
        exemption = { reason: label.reason, from: 'label' };
        if (label.expires !== undefined) exemption.expires = label.expires;
      } else if (!exemption) {
        const ignored: IgnoredExemption = {
          reason: label.reason,
          from: 'label',
          why:
            label.problem !== undefined
              ? `the label ${label.problem}`
              : `labels from ${KIND_WORDS[spec.source.kind] ?? spec.source.kind} are not trusted (see --trust-labels)`,
        };
        if (label.expires !== undefined) ignored.expires = label.expires;
        finding.ignoredExemption = ignored;
      }
    }
    if (exemption) {
      finding.status = 'exempt';
      finding.exemption = exemption;
    }
    const into = byRule[r];
    if (into) into.push(finding);
    else byRule[r] = [finding];
    countFinding(tally, finding);
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
      f = factsOf(list[i]!, scope, labelsOf);
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
        } catch (error) {
          out = threw(error);
        }
        const r = at[c]!;
        if (Array.isArray(out)) {
          for (const o of out as readonly Outcome[]) {
            if (o?.status !== 'pass') emit(r, rules[r]!, spec, factsAt(list, facts, i, scope), o);
          }
        } else {
          const o = out as Outcome;
          if (o?.status !== 'pass') emit(r, rules[r]!, spec, factsAt(list, facts, i, scope), o);
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
    /** A stack rule that broke judged none of the resources: each gets the rule's error once. */
    const broke = (o: Outcome) => {
      for (let i = 0; i < containers.length; i++)
        emit(r, rule, containers[i]!, factsAt(containers, containerFacts, i, 'container'), o as never);
      for (let i = 0; i < networks.length; i++)
        emit(r, rule, networks[i]!, factsAt(networks, networkFacts, i, 'network'), o as never);
    };
    try {
      outs = rule.check({ containers, networks });
    } catch (error) {
      broke(threw(error));
      continue;
    }
    if (!Array.isArray(outs)) {
      broke(malformed('a stack rule must return a list of outcomes'));
      continue;
    }
    let targetless = false;
    for (const o of outs) {
      if (o?.status === 'pass') continue;
      const target = o?.resource;
      if (!target || typeof target !== 'object') {
        targetless = true;
        continue;
      }
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
          ? factsOf(target, 'network', labelsOf)
          : at >= 0
            ? factsAt(containers, containerFacts, at, 'container')
            : factsAt(networks, networkFacts, ~at, 'network');
      emit(r, rule, target, facts, o);
    }
    if (targetless) broke(malformed('a stack outcome must name its resource (about(resource, outcome))'));
  }

  const findings: Finding[] = [];
  for (const list of byRule) if (list) for (const f of list) findings.push(f);
  return {
    findings,
    summary: { ...tally, containers: containers.length, networks: networks.length },
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

/** An outcome that says the rule broke: it threw, or returned something that is not an outcome. */
type RuleErrorOutcome = { status: 'error'; path: string; message: string };

/**
 * The outcome of a check that threw. Only the error's class is named: its message may quote the
 * input, and secrets reach rules unwrapped.
 */
function threw(error: unknown): Outcome {
  const name =
    error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'a non-Error value';
  return malformed(`the rule threw ${name} on this resource (the other rules ran); fix or report the rule`);
}

/** A rule error outcome, dressed as an outcome so that it travels the same way. */
function malformed(message: string): Outcome {
  return { status: 'error', path: '', message } as unknown as Outcome;
}

const STATUSES: ReadonlySet<unknown> = new Set(['fail', 'unknown', 'error']);
const SEVERITY_NAMES: ReadonlySet<unknown> = new Set(SEVERITIES);

/**
 * The outcome as the rule returned it when it is well formed (status, string path and message,
 * a known severity if any), or an error naming what is wrong with it.
 */
function wellFormed(
  rule: Rule,
  o: Outcome & { status: 'fail' | 'unknown' },
): (Outcome & { status: 'fail' | 'unknown' }) | RuleErrorOutcome {
  if (
    typeof o === 'object' &&
    o !== null &&
    STATUSES.has(o.status) &&
    typeof o.path === 'string' &&
    typeof o.message === 'string' &&
    (o.severity === undefined || SEVERITY_NAMES.has(o.severity))
  ) {
    return o;
  }
  const what =
    typeof o !== 'object' || o === null
      ? 'an outcome must be an object (use pass(), fail(path, message) or unknown(path))'
      : !STATUSES.has(o.status)
        ? 'status must be pass, fail or unknown'
        : typeof o.path !== 'string'
          ? 'path must be a spec path string'
          : typeof o.message !== 'string'
            ? 'message must be a string'
            : `severity must be one of ${SEVERITIES.join(', ')}`;
  return { status: 'error', path: '', message: `rule ${rule.id} returned a malformed outcome: ${what}` };
}

/** What every finding about one spec shares. */
interface SpecFacts {
  resource: FindingResource;
  /**
   * The spec's exemption labels by rule id when it has any; `undefined` otherwise, so that
   * findings of most specs need no label lookup.
   */
  labels: LabelFacts | undefined;
}

/** A spec's exemption labels, and whether its input kind's labels are trusted. */
interface LabelFacts {
  byRule: Map<string, LabelExemption>;
  trusted: boolean;
}

/** How the trust message names each input kind's labels. */
const KIND_WORDS: Partial<Record<InputKind, string>> = {
  inspect: 'a running engine',
  pulumi: 'Pulumi programs',
  compose: 'compose files',
  'stack-export': 'stack exports',
  preview: 'previews',
};

function labelFacts(
  spec: ContainerSpec | NetworkSpec,
  trusted: ReadonlySet<InputKind>,
  check: LabelCheck,
): LabelFacts | undefined {
  const labels = spec.labels;
  if (!isKnown(labels) || typeof labels !== 'object') return undefined;
  let any = false;
  for (const key in labels) {
    if (key.startsWith(LABELS.exemptPrefix)) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  const byRule = new Map<string, LabelExemption>();
  for (const l of readLabelExemptions(labels, check)) byRule.set(l.rule, l);
  return { byRule, trusted: trusted.has(spec.source.kind) };
}

function factsOf(
  spec: ContainerSpec | NetworkSpec,
  scope: 'container' | 'network',
  labelsOf: (spec: ContainerSpec | NetworkSpec) => LabelFacts | undefined,
): SpecFacts {
  return { resource: resourceOf(spec.source, scope), labels: labelsOf(spec) };
}

function resourceOf(source: SourceInfo, scope: 'container' | 'network'): FindingResource {
  const r: FindingResource = { kind: source.kind, scope, name: source.name, type: source.type };
  if (source.urn) r.urn = source.urn;
  if (source.parent) r.parent = source.parent;
  if (source.profiles && source.profiles.length > 0) r.profiles = [...source.profiles];
  return r;
}

/**
 * The unreadable input at `path`, above it, or else the first one below it (by path), from
 * `SourceInfo.unreadable`.
 */
function unreadableAt(
  unreadable: ReadonlyMap<string, string>,
  path: string,
): { path: string; expected: string } | undefined {
  for (let p = path; p; ) {
    const expected = unreadable.get(p);
    if (expected !== undefined) return { path: p, expected };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  let first: { path: string; expected: string } | undefined;
  for (const [p, expected] of unreadable) {
    if ((p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) && (first === undefined || p < first.path))
      first = { path: p, expected };
  }
  return first;
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
      if (coversEveryResource(e.resource)) {
        problems.push({
          index,
          kind: 'broad',
          message: `exemptions[${index}] (rule ${e.rule}) applies to every resource: name the resources it is for`,
        });
      }
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
