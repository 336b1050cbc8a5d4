import type { z } from 'zod';
import { zod } from '../lazy.js';

/** A written decision to accept a finding. */
export interface Exemption {
  /** Rule id the exemption applies to. */
  rule: string;
  /** Glob (`*` wildcard) over the resource's name or URN. Defaults to every resource. */
  resource: string;
  /** Why the risk is accepted: at least 10 characters. */
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the exemption no longer applies. */
  expires?: string;
}

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

/** A readable validation error whose message names every offending path. */
export class InputError extends Error {
  constructor(
    message: string,
    /** Field paths that were wrong, such as `exemptions[2].reason`. */
    readonly paths: readonly string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }
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

/**
 * Validates exemptions (already parsed from JSON/YAML).
 * @throws {@link InputError} naming each bad field.
 */
export function parseExemptions(data: unknown, where = 'exemptions'): Exemption[] {
  const { list, wrapped } = exemptionsFileSchema();
  const result = Array.isArray(data) ? list.safeParse(data) : wrapped.safeParse(data);
  if (!result.success) throw formatZodError(`Invalid ${where}:`, result.error);
  return result.data.map((e) => {
    const out: Exemption = { rule: e.rule, resource: e.resource, reason: e.reason };
    if (e.expires !== undefined) out.expires = e.expires;
    return out;
  });
}

/** Compiles a `*` glob into a whole-string matcher. */
export function globMatcher(glob: string): (s: string) => boolean {
  if (glob === '*') return () => true;
  const re = new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`);
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** True when an exemption's expiry date is before `now`'s day. */
export function isExpired(e: Exemption, now: Date): boolean {
  return e.expires !== undefined && isPastExpiry(e.expires, now);
}

/** True when the day `expires` (YYYY-MM-DD) has ended, in UTC, at `now`. */
export function isPastExpiry(expires: string, now: Date): boolean {
  return Date.parse(`${expires}T23:59:59.999Z`) < now.getTime();
}
