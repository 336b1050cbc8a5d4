/**
 * The rule test kit, test-runner agnostic: {@link testRule} runs one rule over a compliant case
 * and a table of mutations and returns what it found; {@link assertRule} throws on a problem. The
 * Jest binding ({@link describeRule}) lays the same checks out as one test per case and input kind.
 */
import { fromCompose } from '../adapters/compose.js';
import { fromDockerInspect } from '../adapters/inspect.js';
import {
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
  type PulumiResourceInput,
} from '../adapters/pulumi.js';
import type { ContainerSpec, NetworkSpec, ResourceSet } from '../model/spec.js';
import { isSecret, isUnknown, reveal, UNKNOWN } from '../model/value.js';
import type {
  ContainerRule,
  NetworkRule,
  Outcome,
  Rule,
  Severity,
  StackExample,
  StackRule,
} from '../rules/types.js';
import { compliantContainer, compliantNetwork } from './baseline.js';
import {
  INPUT_KINDS,
  type KitInputKind,
  type Written,
  writeCompose,
  writeComposeNetwork,
  writeComposeStack,
  writeInspect,
  writeInspectNetwork,
  writeInspectStack,
  writePulumi,
  writePulumiNetwork,
  writePulumiStack,
} from './inputs.js';

/** Field overrides: a value replaces the field, `undefined` removes it (the setting is absent). */
export type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

/** What a case expects of the rule. With neither `fails` nor `unknown`, the rule must pass. */
export interface Expectation {
  /** Spec paths the rule must fail at (all of them, and no others). */
  fails?: string | readonly string[];
  /** Spec paths the rule must be undecided at. */
  unknown?: string | readonly string[];
  /** The severity every failure must carry (for rules that grade their failures). */
  severity?: Severity;
  /** The exact messages, in outcome order, when the test wants to pin them. */
  messages?: readonly string[];
}

/** Checks the kit runs beyond the normalized model; a mutation may skip one with a reason. */
export type KitCheck = KitInputKind | 'unknowns';

/** One row of a rule's test table: one change to the compliant case, and what it must give. */
export interface Mutation<S> extends Expectation {
  /** What the mutation proves, as a test name ("fails when cap_add has SYS_ADMIN"). */
  name: string;
  /** Field overrides applied to a copy of the compliant case. */
  set?: Overrides<S>;
  /** An edit of a copy of the compliant case (after `set`), for changes `set` cannot say. */
  mutate?: (spec: S) => void;
  /**
   * Declared skips, by check, each with the reason: the input kind cannot represent this case
   * (`pulumi: 'docker.Container has no pids limit input'`), or its unknown cannot be generated.
   * A skip applies only where that input kind's verdict differs; where it agrees the check runs.
   */
  skip?: Partial<Record<KitCheck, string>>;
}

/** A rule's test table. */
export interface RuleTable<S> {
  /** The compliant case; default: the kit's {@link compliantContainer} / {@link compliantNetwork}. */
  compliant?: S;
  mutations: readonly Mutation<S>[];
  /** Skips that hold for every case of this rule (the compliant one included). */
  skip?: Partial<Record<KitCheck, string>>;
}

/** The result of one check of one case. */
export interface CheckResult {
  /** The case's name (`compliant` for the compliant case). */
  case: string;
  /** `model` (the normalized spec), an input kind, `unknowns` or `secrets`. */
  check: 'model' | KitCheck | 'secrets';
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed, or the declared reason it was skipped. */
  detail?: string;
}

/** Everything {@link testRule} found for one rule. */
export interface RuleReport {
  rule: string;
  results: CheckResult[];
  /** The failed results. */
  failures: CheckResult[];
}

type NonPass = Exclude<Outcome, { status: 'pass' }>;
type Single = ContainerRule | NetworkRule;

/** A marker no rule should ever echo: the kit writes it into every string the mutation touches. */
export const CANARY = 'bulkhead-canary';

/** Outcomes of a container or network rule, passes left out. */
export function nonPassing(rule: Single, spec: ContainerSpec | NetworkSpec): NonPass[] {
  const out = rule.check(spec as never);
  const list = Array.isArray(out) ? out : [out as Outcome];
  return list.filter((o): o is NonPass => o.status !== 'pass');
}

/** A copy of `base` with `overrides` applied (`undefined` deletes the field). */
export function withOverrides<T extends object>(base: T, overrides: Overrides<T>): T {
  const out = { ...base, ...overrides } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete out[k];
  return out as T;
}

const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

/** A sorted, comparable verdict: `fail capAdd[0] (critical)`, `unknown user`. */
function verdict(out: readonly NonPass[], withSeverity: boolean): string[] {
  return out
    .map((o) => `${o.status} ${o.path}${withSeverity && o.severity ? ` (${o.severity})` : ''}`)
    .sort();
}

const show = (v: readonly string[]) => (v.length === 0 ? 'pass' : v.join(', '));

function checkExpectation(out: readonly NonPass[], e: Expectation): string | undefined {
  const want = [
    ...asList(e.fails).map((p) => `fail ${p}`),
    ...asList(e.unknown).map((p) => `unknown ${p}`),
  ].sort();
  const got = verdict(out, false);
  if (show(got) !== show(want)) return `expected ${show(want)}, got ${show(got)}`;
  if (e.severity !== undefined) {
    const wrong = out.filter((o) => o.status === 'fail' && o.severity !== e.severity);
    if (wrong.length > 0)
      return `expected severity ${e.severity}, got ${wrong.map((o) => o.severity ?? 'the rule default').join(', ')}`;
  }
  if (e.messages !== undefined) {
    const msgs = out.map((o) => o.message);
    if (JSON.stringify(msgs) !== JSON.stringify(e.messages))
      return `expected messages ${JSON.stringify(e.messages)}, got ${JSON.stringify(msgs)}`;
  }
  for (const o of out) if (o.message.trim().length < 6) return `outcome at ${o.path} has no real message`;
  return undefined;
}

/** Every revealed secret string in `v` (at least 4 characters: shorter ones match by accident). */
function secretsIn(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 12 || v === null || typeof v !== 'object') return out;
  if (isSecret(v)) {
    if (!isUnknown(v)) {
      const s = reveal(v);
      if (s.length >= 4) out.push(s);
    }
    return out;
  }
  for (const x of Object.values(v)) secretsIn(x, out, depth + 1);
  return out;
}

/** `v` with every known string replaced by a canary (object keys kept: paths name them). */
function canaried(v: unknown, n = { i: 0 }): unknown {
  if (typeof v === 'string') return `${CANARY}-${n.i++}`;
  if (v === null || typeof v !== 'object' || isUnknown(v)) return v;
  if (isSecret(v)) return v;
  if (Array.isArray(v)) return v.map((x) => canaried(x, n));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canaried(x, n)]));
}

/** Stable text of a value for comparing fields (unknowns and secrets by kind, not content). */
function fingerprint(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    isUnknown(x) ? '<unknown>' : isSecret(x) ? `<secret ${reveal(x)}>` : x,
  );
}

/**
 * Fields no input leaves unknown: the resource's identity, and what a surface sets from its own
 * options (a learned seccomp profile) or from dependencies (the image-producing resource).
 */
const NEVER_UNKNOWN: ReadonlySet<string> = new Set(['source', 'learnedSeccomp', 'imageDigestFrom']);

/** Top-level fields whose value differs between the compliant case and the mutated one. */
function touchedFields<S extends object>(base: S, mutated: S): (keyof S)[] {
  const keys = new Set([...Object.keys(base), ...Object.keys(mutated)]);
  return [...keys].filter(
    (k) => k !== 'source' && fingerprint(base[k as keyof S]) !== fingerprint(mutated[k as keyof S]),
  ) as (keyof S)[];
}

/** Reads one written input back through the adapter the user's input goes through. */
function readBack(kind: KitInputKind, w: Written, scope: 'container' | 'network', name: string) {
  let set: ResourceSet;
  if (kind === 'compose') set = fromCompose(w.input as string, 'compose.yaml');
  else if (kind === 'inspect') set = fromDockerInspect(w.input);
  else
    set =
      scope === 'container'
        ? {
            containers: [fromPulumiContainerArgs(w.input as Record<string, unknown>, { name })],
            networks: [],
          }
        : { containers: [], networks: [fromPulumiNetworkArgs(w.input as Record<string, unknown>, { name })] };
  if (scope === 'container') {
    const c = set.containers.find((x) => x.source.name === name);
    if (!c) throw new Error(`the ${kind} adapter returned no container named ${name}`);
    return c;
  }
  const n = set.networks.find((x) => x.name === name || x.name === `kit_${name}`) ?? set.networks[0];
  if (!n) throw new Error(`the ${kind} adapter returned no network`);
  return n;
}

function write(
  kind: KitInputKind,
  spec: ContainerSpec | NetworkSpec,
  scope: 'container' | 'network',
): Written {
  if (scope === 'container') {
    const c = spec as ContainerSpec;
    return kind === 'compose' ? writeCompose(c) : kind === 'pulumi' ? writePulumi(c) : writeInspect(c);
  }
  const n = spec as NetworkSpec;
  return kind === 'compose'
    ? writeComposeNetwork(n)
    : kind === 'pulumi'
      ? writePulumiNetwork(n)
      : writeInspectNetwork(n);
}

/** Runs every check of one case. */
function checkCase<S extends ContainerSpec | NetworkSpec>(
  rule: Single,
  base: S,
  name: string,
  spec: S,
  expect: Expectation,
  skip: Partial<Record<KitCheck, string>>,
): CheckResult[] {
  const results: CheckResult[] = [];
  const add = (check: CheckResult['check'], status: CheckResult['status'], detail?: string) =>
    results.push({ case: name, check, status, ...(detail === undefined ? {} : { detail }) });
  const graded = expect.severity !== undefined;

  // 1. The normalized model.
  const out = nonPassing(rule, spec);
  const problem = checkExpectation(out, expect);
  add('model', problem ? 'failed' : 'ok', problem);

  // 2. Secrets: no secret value the case holds, and no canary, appears in a message.
  const leaked = secretsIn(spec).filter((s) => out.some((o) => o.message.includes(s)));
  const touched = touchedFields(base, spec);
  const canary = { ...spec } as Record<string, unknown>;
  for (const f of touched) canary[f as string] = canaried(canary[f as string]);
  const echoed = nonPassing(rule, canary as S).filter((o) => o.message.includes(CANARY));
  if (leaked.length > 0)
    add('secrets', 'failed', `a message echoes a secret value: ${out.map((o) => o.message)}`);
  else if (echoed.length > 0)
    add(
      'secrets',
      'failed',
      `a message echoes an input value: ${echoed.map((o) => JSON.stringify(o.message))}`,
    );
  else add('secrets', 'ok');

  // 3. Generated unknowns: every field the case touches made unknown must never fail.
  const special = spec.source.cannotExpress !== undefined;
  if (touched.some((f) => !NEVER_UNKNOWN.has(f as string))) {
    const u = { ...spec } as Record<string, unknown>;
    for (const f of touched) if (!NEVER_UNKNOWN.has(f as string)) u[f as string] = UNKNOWN;
    // In the model, and as the inputs that carry unknowns (an unset compose variable, Pulumi's
    // unknown sentinel) read back through their adapters.
    const failed = nonPassing(rule, u as S).filter((o) => o.status === 'fail');
    if (!special)
      for (const kind of ['compose', 'pulumi'] as const) {
        try {
          const w = write(kind, u as S, rule.scope);
          if (touched.some((f) => (f as string) in w.unrepresentable)) continue;
          const read = readBack(kind, w, rule.scope, spec.source.name);
          for (const o of nonPassing(rule, read))
            if (o.status === 'fail') failed.push({ ...o, path: `${o.path} (as ${kind})` });
        } catch (e) {
          failed.push({ status: 'fail', path: `(as ${kind}: ${(e as Error).message})`, message: '' });
        }
      }
    if (failed.length === 0) add('unknowns', 'ok');
    else if (skip.unknowns) add('unknowns', 'skipped', skip.unknowns);
    else
      add(
        'unknowns',
        'failed',
        `with ${touched.join(', ')} unknown the rule fails at ${failed.map((o) => o.path).join(', ')}`,
      );
  }

  // 4. Every input kind: written as the user would, read back, the same verdict.
  const want = verdict(out, graded);
  for (const kind of INPUT_KINDS) {
    if (special) {
      add(kind, 'skipped', 'the case sets source.cannotExpress (a resource type the kit does not write)');
      continue;
    }
    let got: string[];
    let dropped: Record<string, string> = {};
    try {
      const w = write(kind, spec, rule.scope);
      dropped = w.unrepresentable;
      got = verdict(nonPassing(rule, readBack(kind, w, rule.scope, spec.source.name)), graded);
    } catch (e) {
      got = [`error: ${(e as Error).message}`];
    }
    // A touched field this input kind cannot hold: the case cannot be written, so it is skipped
    // with the writer's declared reason (never passed in silence).
    const blocked = touched.filter((f) => (f as string) in dropped);
    if (blocked.length > 0) {
      add(kind, 'skipped', blocked.map((f) => `${String(f)}: ${dropped[f as string]}`).join('; '));
      continue;
    }
    if (show(got) === show(want)) add(kind, 'ok');
    else if (skip[kind]) add(kind, 'skipped', skip[kind]);
    else {
      const why = Object.entries(dropped).map(([f, r]) => `${f}: ${r}`);
      add(
        kind,
        'failed',
        `as ${kind}: ${show(got)}; in the model: ${show(want)}` +
          (why.length > 0 ? ` (not representable: ${why.join('; ')}; declare a skip if that is why)` : ''),
      );
    }
  }
  return results;
}

/** Builds a mutation's spec from the compliant case. */
export function mutated<S extends object>(base: S, m: Pick<Mutation<S>, 'set' | 'mutate'>): S {
  const spec = structuredCloneSpec(withOverrides(base, m.set ?? {}));
  m.mutate?.(spec);
  return spec;
}

/** A deep copy that keeps the UNKNOWN marker and secrets as they are. */
function structuredCloneSpec<T>(v: T): T {
  if (v === null || typeof v !== 'object' || isUnknown(v) || isSecret(v)) return v;
  if (v instanceof Set || v instanceof Map) return v;
  if (Array.isArray(v)) return v.map(structuredCloneSpec) as T;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneSpec(x)])) as T;
}

/**
 * Tests one container or network rule: the compliant case passes, each mutation gives exactly
 * its expected outcomes (paths, severity, messages), no message echoes a secret or a touched
 * input value, unknown values never fail, and the verdict is the same when each case is written
 * as a compose file, Pulumi arguments and `docker inspect` output and read back through the
 * adapters. Returns every result; nothing throws for a failing check.
 */
export function testRule<S extends ContainerSpec | NetworkSpec>(
  rule: ContainerRule | NetworkRule,
  table: RuleTable<S>,
): RuleReport {
  const base = (table.compliant ??
    (rule.scope === 'container' ? compliantContainer() : compliantNetwork())) as S;
  const results: CheckResult[] = [];
  const skips = table.skip ?? {};
  results.push(...checkCase(rule, base, 'compliant', base, {}, skips));
  for (const m of table.mutations) {
    results.push(...checkCase(rule, base, m.name, mutated(base, m), m, { ...skips, ...m.skip }));
  }
  return { rule: rule.id, results, failures: results.filter((r) => r.status === 'failed') };
}

/** One row of a stack rule's table. */
export interface StackMutation {
  name: string;
  /** An edit of a copy of the compliant resource set. */
  mutate: (set: ResourceSet) => void;
  /** `resource name → spec path` failures expected (`web: ports[0]`); none means pass. */
  fails?: readonly string[];
  /** `resource name → spec path` unknowns expected. */
  unknown?: readonly string[];
  messages?: readonly string[];
}

/** A stack rule's test table. */
export interface StackTable {
  /** The compliant resource set; default: the kit's compliant container and network. */
  compliant?: ResourceSet;
  mutations: readonly StackMutation[];
  /** Declared skips by input kind, with the reason (they apply only where the verdict differs). */
  skip?: Partial<Record<KitInputKind, string>>;
}

function writeStack(
  kind: KitInputKind,
  set: ResourceSet,
): { input: unknown; unrepresentable: Record<string, string> } {
  return kind === 'compose'
    ? writeComposeStack(set)
    : kind === 'pulumi'
      ? writePulumiStack(set)
      : writeInspectStack(set);
}

function readStack(kind: KitInputKind, input: unknown): ResourceSet {
  if (kind === 'compose') return fromCompose(input as string, 'compose.yaml');
  if (kind === 'pulumi') return fromPulumiResources(input as PulumiResourceInput[]);
  return fromDockerInspect(input);
}

/**
 * `set` with every field it changed made unknown, or `undefined` when it changed nothing. Names
 * and identities stay known: they are how resources find each other.
 */
function stackUnknowns(compliant: ResourceSet, set: ResourceSet): ResourceSet | undefined {
  let changed = false;
  const blank = <S extends ContainerSpec | NetworkSpec>(spec: S, base: S): S => {
    const u = { ...spec } as Record<string, unknown>;
    for (const f of touchedFields(base, spec))
      if (!NEVER_UNKNOWN.has(f as string) && f !== 'name') {
        u[f as string] = UNKNOWN;
        changed = true;
      }
    return u as S;
  };
  const byName = <S extends { source: { name: string } }>(list: readonly S[], name: string) =>
    list.find((x) => x.source.name === name);
  const out: ResourceSet = {
    containers: set.containers.map((c) =>
      blank(c, byName(compliant.containers, c.source.name) ?? compliantContainer()),
    ),
    networks: set.networks.map((n) =>
      blank(n, byName(compliant.networks, n.source.name) ?? { ...compliantNetwork(), name: n.name }),
    ),
  };
  return changed ? out : undefined;
}

/** A stack rule's own insecure example (`rule.example`) as a row of its test table. */
export function stackExampleMutation(rule: StackRule): StackMutation {
  const example = rule.example;
  if (!example) throw new Error(`${rule.id} has no insecure example`);
  return {
    name: 'fails on its insecure example',
    mutate: (set) => Object.assign(set, stackExampleSet(example)),
    fails: example.fails,
  };
}

/** Tests a stack rule over a compliant resource set and its mutations, in the normalized model. */
export function testStackRule(rule: StackRule, table: StackTable): RuleReport {
  const compliant = table.compliant ?? { containers: [compliantContainer()], networks: [compliantNetwork()] };
  const results: CheckResult[] = [];
  const run = (name: string, set: ResourceSet, e: Omit<StackMutation, 'name' | 'mutate'>) => {
    const out = rule.check(set);
    const at = (o: (typeof out)[number]) => `${o.status} ${o.resource.source.name}: ${o.path}`;
    const got = out.map(at).sort();
    const want = [
      ...(e.fails ?? []).map((p) => `fail ${p}`),
      ...(e.unknown ?? []).map((p) => `unknown ${p}`),
    ].sort();
    let detail: string | undefined;
    if (show(got) !== show(want)) detail = `expected ${show(want)}, got ${show(got)}`;
    else if (e.messages && JSON.stringify(out.map((o) => o.message)) !== JSON.stringify(e.messages))
      detail = `expected messages ${JSON.stringify(e.messages)}, got ${JSON.stringify(out.map((o) => o.message))}`;
    results.push({
      case: name,
      check: 'model',
      status: detail ? 'failed' : 'ok',
      ...(detail ? { detail } : {}),
    });
    const leaked = secretsIn(set).filter((s) => out.some((o) => o.message.includes(s)));
    results.push({
      case: name,
      check: 'secrets',
      status: leaked.length > 0 ? 'failed' : 'ok',
      ...(leaked.length > 0 ? { detail: 'a message echoes a secret value' } : {}),
    });
    // Generated unknowns: the fields the case changed (against the compliant resource of the same
    // name, or the kit's compliant container/network for an added one) made unknown never fail.
    const unknownSet = stackUnknowns(compliant, set);
    if (unknownSet !== undefined) {
      const failing = rule.check(unknownSet).filter((o) => o.status === 'fail');
      results.push({
        case: name,
        check: 'unknowns',
        status: failing.length === 0 ? 'ok' : 'failed',
        ...(failing.length === 0
          ? {}
          : { detail: `with the changed fields unknown the rule fails at ${failing.map(at).join(', ')}` }),
      });
    }
    // Every input kind: the whole set written as one compose file, as Pulumi resources and as
    // `docker inspect` output, read back, judged again. Fields a kind cannot hold beyond those the
    // compliant set already lacks make a declared skip with the writer's reason.
    for (const kind of INPUT_KINDS) {
      let kindGot: string[];
      let dropped: Record<string, string> = {};
      try {
        const w = writeStack(kind, set);
        dropped = w.unrepresentable;
        kindGot = rule.check(readStack(kind, w.input)).map(at).sort();
      } catch (e) {
        kindGot = [`error: ${(e as Error).message}`];
      }
      const extra = Object.keys(dropped).filter((f) => !(f in baseDropped[kind]));
      const push = (status: CheckResult['status'], detail?: string) =>
        results.push({ case: name, check: kind, status, ...(detail === undefined ? {} : { detail }) });
      if (show(kindGot) === show(got)) push('ok');
      else if (extra.length > 0) push('skipped', extra.map((f) => `${f}: ${dropped[f]}`).join('; '));
      else if (table.skip?.[kind]) push('skipped', table.skip[kind]);
      else push('failed', `as ${kind}: ${show(kindGot)}; in the model: ${show(got)}`);
    }
  };
  const baseDropped = Object.fromEntries(
    INPUT_KINDS.map((k) => [k, writeStack(k, compliant).unrepresentable]),
  ) as Record<KitInputKind, Record<string, string>>;
  run('compliant', structuredCloneSpec(compliant), {});
  for (const m of table.mutations) {
    const set = structuredCloneSpec(compliant);
    m.mutate(set);
    run(m.name, set, m);
  }
  return { rule: rule.id, results, failures: results.filter((r) => r.status === 'failed') };
}

/** Throws one error listing every failed check of a report. */
export function assertReport(report: RuleReport): void {
  if (report.failures.length === 0) return;
  throw new Error(
    `${report.rule}: ${report.failures.length} check(s) failed:\n` +
      report.failures.map((f) => `- ${f.case} [${f.check}]: ${f.detail}`).join('\n'),
  );
}

/** {@link testRule} that throws on any failed check (for any test runner). */
export function assertRule<S extends ContainerSpec | NetworkSpec>(
  rule: ContainerRule | NetworkRule,
  table: RuleTable<S>,
): RuleReport {
  const report = testRule(rule, table);
  assertReport(report);
  return report;
}

/** Whether `rule` runs on one resource (container or network) rather than the stack. */
export const isSingle = (rule: Rule): rule is Single => rule.scope !== 'stack';

/** A rule's own insecure example (`rule.example`) as a row of its test table. */
export function exampleMutation<S extends ContainerSpec | NetworkSpec>(
  rule: ContainerRule | NetworkRule,
): Mutation<S> {
  if (!rule.example) throw new Error(`${rule.id} has no insecure example`);
  return {
    name: 'fails on its insecure example',
    set: rule.example.insecure as Overrides<S>,
    fails: rule.example.fails,
  };
}

/** A stack rule's insecure example as a resource set built from the compliant container and network. */
export function stackExampleSet(example: StackExample): ResourceSet {
  const source = (name: string, type: string) => ({ kind: 'pulumi' as const, name, type });
  return {
    containers: example.containers.map(({ name, ...o }) => ({
      ...withOverrides(compliantContainer(), o as Overrides<ContainerSpec>),
      source: {
        ...source(name, 'docker:index/container:Container'),
        urn: `urn:pulumi:dev::app::docker:index/container:Container::${name}`,
      },
    })),
    networks: (example.networks ?? []).map(({ name, ...o }) => ({
      ...withOverrides(compliantNetwork(), o as Overrides<NetworkSpec>),
      name,
      source: source(name, 'docker:index/network:Network'),
    })),
  };
}
