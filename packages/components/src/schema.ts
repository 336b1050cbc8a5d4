/**
 * Zod pieces the components' argument schemas share. Only modules that validate import this one:
 * no public declaration names a zod type, so users' programs never type-check zod's declarations.
 * @internal
 */
import { type Catalog, catalog, isCalendarDate, LABELS, reasonProblem } from '@bulkhead/core';
import { z } from 'zod';
import { type ArgIssue, joinPath } from './errors.js';

/** The prefix of the label keys Bulkhead writes; derived from core's label names. */
const RESERVED = LABELS.component.replace(/[^.]+$/, '');

/**
 * User labels: any string map whose keys stay out of Bulkhead's own namespace.
 * @param instead - what to use instead of a reserved key, appended to the error (e.g. "use role instead").
 */
export function userLabelsSchema(instead?: string) {
  const message = `keys under "${RESERVED}" are written by Bulkhead${instead ? `; ${instead}` : ''}`;
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    for (const k of Object.keys(labels)) {
      if (k.startsWith(RESERVED)) ctx.addIssue({ code: 'custom', path: [k], message });
    }
  });
}

/** The message for argument keys a component does not know, or `undefined` for other issues. */
export function unknownArgumentsMessage(iss: {
  code?: string;
  keys?: readonly string[];
}): string | undefined {
  if (iss.code !== 'unrecognized_keys' || !iss.keys) return undefined;
  return `unknown argument${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
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
export function exceptionsSchema(now: () => string = today, rules: Catalog = catalog) {
  return z
    .array(
      z.strictObject({
        rule: z
          .string({ error: 'must be a rule id such as "non-root-user" (see `bulkhead rules list`)' })
          .refine((id) => rules.has(id), {
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

/** Turns zod issues into argument issues under `root` (e.g. `args`). */
export function zodIssues(error: z.ZodError, root: string): ArgIssue[] {
  return error.issues.map((issue) => ({
    path: joinPath(root, issue.path),
    message: issue.message,
  }));
}
