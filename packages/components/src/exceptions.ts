import { catalog, exemptLabel, isCalendarDate, LABELS, reasonProblem } from '@bulkhead/core';
import { z } from 'zod';

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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today as YYYY-MM-DD (UTC); injectable for tests through {@link exceptionsSchema}. */
const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * zod schema of a written reason, checked by core's one validator ({@link reasonProblem}): at
 * least ten visible characters, no placeholder such as TODO. Messages read after the argument path.
 */
export function writtenReason(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .superRefine((reason, ctx) => {
      const problem = reasonProblem(reason);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^reason /, '') });
    });
}

/** zod schema of a component's `exceptions` list. */
export function exceptionsSchema(now: () => string = today) {
  return z
    .array(
      z.strictObject({
        rule: z
          .string({ error: 'must be a rule id such as "non-root-user" (see `bulkhead rules list`)' })
          .refine((id) => catalog.has(id), {
            error: 'no rule has this id; use an id from `bulkhead rules list`',
          }),
        reason: writtenReason('is required: write why this risk is accepted'),
        expires: z
          .string({ error: 'must be a date as YYYY-MM-DD' })
          .regex(ISO_DATE, { error: 'must be a date as YYYY-MM-DD', abort: true })
          .refine(isCalendarDate, 'must be a real calendar date')
          .refine(
            (d) => d >= now(),
            'has passed; renew the decision with a later date or remove the exception',
          )
          .optional(),
      }),
      { error: 'must be a list of { rule, reason, expires? } objects' },
    )
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        if (seen.has(e.rule)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'rule'],
            message: 'is listed twice; keep one exception per rule',
          });
        }
        seen.add(e.rule);
      });
    })
    .optional();
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
