// zod schemas of exemptions, apart from the plain types and checks in exemptions.ts: public
// declarations that name zod types would pull zod's own declarations into every program that
// imports core's types (and zod's declarations do not compile under every tsconfig users have).
// Exported to other Bulkhead packages through the `@bulkhead/core/schemas` subpath only. The
// checks themselves (reasonProblem, expiryProblem) live once in exemptions.ts.
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { zod } from '../lazy.js';
import type { InputKind } from '../model/spec.js';
import {
  type ExemptionLimits,
  expiryProblem,
  isCalendarDate,
  LABEL_SOURCES,
  reasonProblem,
} from './exemptions.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** zod schema of `maxExpiryDays`: a whole number of days from 1 to 36,500. */
export function maxExpiryDaysSchema() {
  const z = zod();
  return z
    .number({ error: 'maxExpiryDays must be a number of days' })
    .int('maxExpiryDays must be a whole number of days')
    .min(1, 'maxExpiryDays must be at least 1')
    .max(36_500, 'maxExpiryDays must be at most 36500 (100 years)');
}

/**
 * zod schema of one exemption; errors name the field and the fix. Built on each call (zod is
 * loaded on the first): exemptions are parsed once per file or configuration. With `limits`
 * (and `now`), the expiry must also respect the configured horizon.
 */
export function exemptionSchema(limits: ExemptionLimits = {}, now: () => Date = () => new Date()) {
  const z = zod();
  return z
    .strictObject({
      rule: z
        .string({ error: 'rule must be a rule id (see `bulkhead rules list`)' })
        .min(1, 'rule must not be empty'),
      resource: z
        .string({ error: 'resource must be a name, URN or glob such as "web-*"' })
        .min(1)
        .default('*'),
      reason: z
        .string({ error: 'reason is required: write why this risk is accepted' })
        .trim()
        .superRefine((reason, ctx) => {
          const problem = reasonProblem(reason);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      expires: z
        .string()
        .regex(ISO_DATE, { error: 'expires must be a date as YYYY-MM-DD', abort: true })
        .refine(isCalendarDate, 'expires must be a real calendar date')
        .optional(),
    })
    .superRefine((e, ctx) => {
      if (limits.maxExpiryDays === undefined) return;
      if (e.expires !== undefined && !isCalendarDate(e.expires)) return;
      const problem = expiryProblem(e.expires, limits, now());
      if (problem) ctx.addIssue({ code: 'custom', path: ['expires'], message: problem });
    });
}

/** One exemption as the schema outputs it. */
export type ParsedExemption = z.output<ReturnType<typeof exemptionSchema>>;

const FILE_SHAPE = 'expected a list of exemptions, or an object { exemptions: [...] }';

/**
 * zod schemas of an exemptions file: a `list`, or `wrapped` as `{ exemptions: [...],
 * maxExpiryDays?, trustLabels? }`. Built on each call. {@link parseExemptionsConfig} picks one by
 * the data's shape rather than through a zod union, so errors name the offending entry's fields
 * instead of the union's "Invalid input".
 */
export function exemptionsFileSchema() {
  const z = zod();
  const list = z.array(exemptionSchema(), { error: FILE_SHAPE });
  const wrapped = z.strictObject(
    {
      exemptions: list.default([]),
      maxExpiryDays: maxExpiryDaysSchema().optional(),
      trustLabels: z
        .array(
          z.enum(LABEL_SOURCES as [InputKind, ...InputKind[]], {
            error: `trustLabels entries must be input kinds: ${LABEL_SOURCES.join(', ')}`,
          }),
          { error: 'trustLabels must be a list of input kinds whose exemption labels count' },
        )
        .optional(),
    },
    { error: FILE_SHAPE },
  );
  return { list, wrapped };
}

/** Formats zod issues as `path: message` lines under a heading. */
export function formatZodError(heading: string, error: z.ZodError, root = ''): InputError {
  const lines: string[] = [];
  const paths: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.reduce<string>(
      (acc, seg) =>
        typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg),
      root,
    );
    paths.push(path || '(root)');
    lines.push(`  ${path || '(root)'}: ${issue.message}`);
  }
  return new InputError(`${heading}\n${lines.join('\n')}`, paths);
}
