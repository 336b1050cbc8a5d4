import { exemptLabel, LABELS } from '@bulkhead/core';

/**
 * A written decision to weaken one secure default of a component. The reason (and expiry) are
 * recorded on the Docker resource as `dev.bulkhead.exempt.<rule>` /
 * `dev.bulkhead.exempt-expires.<rule>` labels, which the policy pack and the CLI honour.
 */
export interface ComponentException {
  /** Id of the core rule whose control is weakened (see `bulkhead rules list`). */
  rule: string;
  /** Why the risk is accepted: at least 10 visible characters, not a placeholder such as TODO. */
  reason: string;
  /** Last day (YYYY-MM-DD) the exception applies; after it the component refuses to build. */
  expires?: string;
}

/** The labels that record exceptions on a resource, sorted by rule id. */
export function exceptionLabels(exceptions: readonly ComponentException[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of [...exceptions].sort((a, b) => a.rule.localeCompare(b.rule))) {
    out[exemptLabel(e.rule)] = e.reason;
    if (e.expires) out[`${LABELS.exemptExpiresPrefix}${e.rule}`] = e.expires;
  }
  return out;
}

/** Formats how to add an exception for `rule`, for error messages. */
export function exceptionHint(rule: string): string {
  return `add an exception { rule: "${rule}", reason: "…" }`;
}
