import { catalog } from '../../src/evaluation/catalog.js';
import type { ContainerSpec, MountSpec, NetworkSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import type { ContainerRule, NetworkRule, Outcome } from '../../src/rules/types.js';
import { compliantContainer, compliantNetwork } from '../fixtures.js';

/** The non-passing outcomes of one container or network rule. */
export function outcomes(
  id: string,
  spec: ContainerSpec | NetworkSpec,
): Exclude<Outcome, { status: 'pass' }>[] {
  const rule = catalog.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  if (rule.scope === 'stack') throw new Error(`${id} is a stack rule`);
  const out = (rule as ContainerRule | NetworkRule).check(spec as never);
  const list = Array.isArray(out) ? out : [out as Outcome];
  return list.filter((o): o is Exclude<Outcome, { status: 'pass' }> => o.status !== 'pass');
}

/** Field overrides; `undefined` removes the field (the setting is absent). */
export type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

function apply<T extends object>(base: T, overrides: Overrides<T>): T {
  const out = { ...base, ...overrides } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete out[k];
  return out as T;
}

/** The compliant container with `overrides`, optionally from a source that cannot express some fields. */
export function container(
  overrides: Overrides<ContainerSpec> = {},
  cannotExpress: (keyof ContainerSpec)[] = [],
): ContainerSpec {
  const spec = apply(compliantContainer(), overrides);
  if (cannotExpress.length > 0) {
    spec.source = {
      ...spec.source,
      type: 'docker:index/service:Service',
      cannotExpress: new Set(cannotExpress),
    };
    for (const f of cannotExpress) if (!(f in overrides)) delete spec[f];
  }
  return spec;
}

/** Asserts the rule passes. */
export function expectPass(id: string, spec: ContainerSpec | NetworkSpec): void {
  expect(outcomes(id, spec)).toEqual([]);
}

/** Asserts the rule fails exactly at these spec paths, and returns the messages. */
export function expectFail(id: string, spec: ContainerSpec | NetworkSpec, ...paths: string[]): string[] {
  const out = outcomes(id, spec);
  expect(out.map((o) => [o.status, o.path]).sort()).toEqual(paths.map((p) => ['fail', p]).sort());
  for (const o of out) expect(o.message.length).toBeGreaterThan(5);
  return out.map((o) => o.message);
}

/** Asserts the rule is undecided (unknown, never fail) at these spec paths. */
export function expectUnknown(id: string, spec: ContainerSpec | NetworkSpec, ...paths: string[]): void {
  const out = outcomes(id, spec);
  expect(out.map((o) => [o.status, o.path]).sort()).toEqual(paths.map((p) => ['unknown', p]).sort());
}

/** The compliant network with `overrides`. */
export function network(overrides: Overrides<NetworkSpec> = {}): NetworkSpec {
  return apply(compliantNetwork(), overrides);
}

/** A read-only bind mount of `source` at `/data`, with `extra` fields. */
export const bind = (source: string, extra: Partial<MountSpec> = {}): MountSpec => ({
  type: 'bind',
  source,
  target: '/data',
  readOnly: true,
  ...extra,
});

/** The cases every host-namespace rule shares (`no-host-pid`: `pidMode`, the PID namespace). */
export function describeHostNamespace(
  id: string,
  field: 'networkMode' | 'pidMode' | 'ipcMode' | 'utsMode' | 'usernsMode',
  what: string,
): void {
  describe(id, () => {
    it('passes the compliant fixture', () => expectPass(id, container()));
    it(`fails when ${field} is host (any case), naming the ${what} namespace`, () => {
      expect(expectFail(id, container({ [field]: 'host' }), field)).toEqual([
        `shares the host's ${what} namespace`,
      ]);
      expectFail(id, container({ [field]: ' HOST ' }), field);
    });
    it(`passes when ${field} shares another container's namespace or is private`, () => {
      expectPass(id, container({ [field]: 'container:db' }));
      expectPass(id, container({ [field]: 'private' }));
    });
    it(`is unknown when ${field} is unknown`, () =>
      expectUnknown(id, container({ [field]: UNKNOWN }), field));
    it('passes for a resource type that cannot share the namespace at all', () =>
      expectPass(id, container({}, [field])));
  });
}
