/**
 * `remediate` enforcement: each container rule's machine fix (`pulumiFix`, stated in the rule's own
 * file in core) applied to `@pulumi/docker` `Container` inputs as `@pulumi/policy` hands them over
 * on Remediate, where secrets are the SDK's `Secret` instances. Whether a fix worked is decided by
 * running the rule again on the result (see policies.ts), not here.
 */
import {
  type Catalog,
  catalog,
  type FixValues,
  PULUMI_TYPES,
  type Rule,
  UNKNOWN_SENTINELS,
} from '@bulkhead/core';
import { isPolicySecret } from './props.js';

function plain(v: unknown): unknown {
  return isPolicySecret(v) ? plain(v.value) : v;
}

/** Raw values as the SDK's Remediate request holds them. */
const SDK_VALUES: FixValues = {
  plain,
  isSecret: isPolicySecret,
  isUnknown: (v) => {
    const p = plain(v);
    return typeof p === 'string' && UNKNOWN_SENTINELS.has(p);
  },
};

/** One fix: mutates `props` and returns true when it changed something. */
export interface Fix {
  /** Resource types the fix knows how to edit. */
  types: readonly string[];
  apply(props: Record<string, unknown>): boolean;
}

const CONTAINER = [PULUMI_TYPES.container] as const;

/** The machine fix of `rule`, if it has one. */
export function fixOf(rule: Rule): Fix | undefined {
  if (rule.scope !== 'container' || !rule.pulumiFix) return undefined;
  const { pulumiFix } = rule;
  return { types: CONTAINER, apply: (props) => pulumiFix.apply(props, SDK_VALUES) };
}

/** The fixes of a catalog's rules, by rule id. */
export function fixesOf(rules: Catalog): Readonly<Record<string, Fix>> {
  const out: Record<string, Fix> = {};
  for (const rule of rules.rules) {
    const fix = fixOf(rule);
    if (fix) out[rule.id] = fix;
  }
  return out;
}

/** The fixes of Bulkhead's own catalog. */
export const FIXES: Readonly<Record<string, Fix>> = fixesOf(catalog);
