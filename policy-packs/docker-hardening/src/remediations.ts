/**
 * `remediate` enforcement: each container rule's machine fix (`pulumiFix`, stated in the rule's own
 * file in core) applied to `@pulumi/docker` `Container` inputs as `@pulumi/policy` hands them over
 * on Remediate, where secrets are the SDK's `Secret` instances. Whether a fix worked is decided by
 * running the rule again on the result (see policies.ts), not here.
 */
import { type FixValues, type Rule, UNKNOWN_SENTINELS } from '@bulkhead/core';
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

/**
 * The machine fix of `rule`, if it has one: it edits `docker.Container` inputs (only a container
 * rule has one, which core's rule schema checks), mutating `props`; true when it changed something.
 */
export function fixOf(rule: Rule): ((props: Record<string, unknown>) => boolean) | undefined {
  if (rule.scope !== 'container' || !rule.pulumiFix) return undefined;
  const { pulumiFix } = rule;
  return (props) => pulumiFix.apply(props, SDK_VALUES);
}
