/** Outcome helpers every kind of rule uses: host modes, booleans, fields a resource type cannot express. */
import type { ContainerSpec, NetworkSpec } from '../../model/spec.js';
import { isUnknown, type Val } from '../../model/value.js';
import { fail, type Outcome, pass, type StackOutcome, unknown } from '../types.js';

/**
 * Checks that a boolean-ish setting is not switched on (privileged, publish-all…): absent and
 * false pass, unknown is unknown.
 */
export function mustNotBeTrue(v: Val<boolean> | undefined, path: string, message: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v === true ? fail(path, message) : pass();
}

/** Checks a namespace mode (`pidMode`, `ipcMode`…) is not `host`. */
export function notHostMode(v: Val<string> | undefined, path: string, what: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v.trim().toLowerCase() === 'host' ? fail(path, `shares the host's ${what} namespace`) : pass();
}

/** Returns `pass()` when `outcomes` is empty, else the outcomes. */
export function collect(outcomes: readonly Outcome[]): Outcome | readonly Outcome[] {
  return outcomes.length === 0 ? pass() : outcomes;
}

/** True when the resource's source type can set this spec field at all. */
export function canExpress(spec: ContainerSpec, field: keyof ContainerSpec): boolean {
  return !spec.source.cannotExpress?.has(field);
}

/** How messages name a resource type that lacks a setting: `a swarm service` or `this resource type`. */
export function resourceKind(spec: ContainerSpec): string {
  return /service/i.test(spec.source.type) ? 'a swarm service' : 'this resource type';
}

/**
 * The failure to report when a control needs a field the resource type cannot express at all, or
 * `undefined` when it can. Use it only where the missing setting is a risk; where absence is the
 * safe state, the ordinary absent-value logic already passes.
 */
export function expressGap(
  spec: ContainerSpec,
  field: keyof ContainerSpec,
  what: string,
): Outcome | undefined {
  if (canExpress(spec, field)) return undefined;
  return fail(
    field,
    `${resourceKind(spec)} cannot set ${what}; run it as a container or accept the gap with an exemption`,
  );
}

/** A stack-rule outcome about one resource (nothing for a pass). */
export function about(resource: ContainerSpec | NetworkSpec, o: Outcome): StackOutcome[] {
  return o.status === 'pass' ? [] : [{ ...o, resource }];
}
