import { exemptionsFileSchema, formatZodError } from './exemption-schema.js';

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
