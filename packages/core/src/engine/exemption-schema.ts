// zod schemas of exemptions, apart from the plain types in exemptions.ts: public declarations that
// name zod types would pull zod's own declarations into every program that imports core's types
// (and zod's declarations do not compile under every tsconfig users have). Exported to other
// Bulkhead packages through the `@bulkhead/core/schemas` subpath only.
import type { z } from 'zod';
import { zod } from '../lazy.js';
import { InputError } from './exemptions.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a YYYY-MM-DD date that exists (Date.parse accepts 2030-02-31 as March 3rd). */
function isCalendarDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/**
 * zod schema of one exemption; errors name the field and the fix. Built on each call (zod is
 * loaded on the first): exemptions are parsed once per file or configuration.
 */
export function exemptionSchema() {
  const z = zod();
  return z.strictObject({
    rule: z
      .string({ error: 'rule must be a rule id (see `bulkhead rules list`)' })
      .min(1, 'rule must not be empty'),
    resource: z.string({ error: 'resource must be a name, URN or glob such as "web-*"' }).min(1).default('*'),
    reason: z
      .string({ error: 'reason is required: write why this risk is accepted' })
      .trim()
      .min(10, 'reason must be at least 10 characters: write why this risk is accepted'),
    expires: z
      .string()
      .regex(ISO_DATE, { error: 'expires must be a date as YYYY-MM-DD', abort: true })
      .refine(isCalendarDate, 'expires must be a real calendar date')
      .optional(),
  });
}

const FILE_SHAPE = 'expected a list of exemptions, or an object { exemptions: [...] }';

/**
 * zod schemas of an exemptions file: a `list`, or `wrapped` as `{ exemptions: [...] }`. Built on
 * each call. {@link parseExemptions} picks one by the data's shape rather than through a zod
 * union, so errors name the offending entry's fields instead of the union's "Invalid input".
 */
export function exemptionsFileSchema() {
  const z = zod();
  const list = z.array(exemptionSchema(), { error: FILE_SHAPE });
  const wrapped = z.strictObject({ exemptions: list }, { error: FILE_SHAPE }).transform((f) => f.exemptions);
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
