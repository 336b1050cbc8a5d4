import { InputError } from '../errors.js';
import { LABELS } from '../model/labels.js';
import type { InputKind } from '../model/spec.js';
import { isKnown, isSecret, type MaybeSecret, reveal, type Val } from '../model/value.js';
import {
  exemptionsFileSchema,
  formatZodError as formatExemptionError,
  type ParsedExemption,
} from './exemption-schema.js';

/** A written decision to accept a finding. */
export interface Exemption {
  /** Rule id the exemption applies to. */
  rule: string;
  /** Glob (`*` wildcard) over the resource's name or URN. Defaults to every resource. */
  resource: string;
  /** Why the risk is accepted: at least 10 visible characters, not a placeholder (see {@link reasonProblem}). */
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the exemption no longer applies. */
  expires?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a YYYY-MM-DD date that exists (Date.parse accepts 2030-02-31 as March 3rd). */
export function isCalendarDate(d: string): boolean {
  if (!ISO_DATE.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** Fewest visible characters a reason must have. */
export const MIN_REASON_VISIBLE = 10;

/**
 * A visible character: a letter, digit, punctuation mark or symbol (Unicode general categories
 * L, N, P, S) that is not default-ignorable (zero-width joiners, variation selectors, the Hangul
 * fillers render as nothing) and not the blank braille pattern. Spaces (Z*), controls and format
 * characters (C*: zero-width space, bidi marks, soft hyphen) and lone combining marks (M*) are
 * not visible.
 */
const VISIBLE = /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}]/gu;

/** How many visible characters `text` has (see {@link VISIBLE}). */
export function visibleLength(text: string): number {
  return text.match(VISIBLE)?.length ?? 0;
}

/**
 * Words that mark a reason as not written yet, wherever they appear as a whole word
 * (case-insensitive): `TODO: explain` is a placeholder however long it is.
 */
export const PLACEHOLDER_MARKERS: readonly string[] = Object.freeze([
  'todo',
  'fixme',
  'tbd',
  'tbc',
  'tba',
  'xxx',
  'changeme',
  'placeholder',
  'lorem',
]);

/**
 * Words that say nothing on their own: a reason made only of these (and punctuation), such as
 * "reason reason", "needed for now" or "n/a - temporary", is a placeholder.
 */
export const FILLER_WORDS: readonly string[] = Object.freeze([
  // joining words
  'a',
  'an',
  'the',
  'is',
  'it',
  'this',
  'that',
  'for',
  'to',
  'of',
  'and',
  'or',
  'now',
  'just',
  'some',
  // words that stand in for a reason
  'reason',
  'reasons',
  'none',
  'na',
  'n',
  'nil',
  'null',
  'undefined',
  'empty',
  'blank',
  'temp',
  'temporary',
  'tmp',
  'wip',
  'later',
  'fix',
  'needed',
  'need',
  'required',
  'necessary',
  'exempt',
  'exemption',
  'exception',
  'because',
  'ok',
  'okay',
  'yes',
  'no',
  'skip',
  'ignore',
  'ignored',
  'whatever',
  'asdf',
  'qwerty',
  'foo',
  'bar',
  'baz',
  'dummy',
  'ipsum',
  'dolor',
  'misc',
  'stuff',
  'x',
  'y',
  'z',
]);

const MARKERS = new Set(PLACEHOLDER_MARKERS);
const FILLER = new Set(FILLER_WORDS);

/** A word in camelCase reading: `fixmeLater` → fixme, Later; `HTTPServer` → HTTP, Server. */
const CAMEL_WORD = /\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+|[^\p{Lu}\p{Ll}\p{N}]+/gu;
/** A run of one kind of character: `TODOexplain` → TODO, explain (camelCase reads TOD, Oexplain). */
const CASE_RUN = /\p{Lu}+|\p{Ll}+|\p{N}+|[^\p{Lu}\p{Ll}\p{N}]+/gu;

/**
 * The words of a reason, lower-cased: `words` split at everything that is not a letter or digit
 * and at camelCase boundaries (for the filler test), `pieces` those plus every whole run and
 * every run of one case or of digits (for the marker test), so a marker glued to a word
 * (`TODOexplain`, `fixmeLater`, `xxx2`) is still found.
 */
function reasonTokens(reason: string): { words: string[]; pieces: string[] } {
  const runs = reason.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const words: string[] = [];
  const pieces: string[] = [];
  for (const run of runs) {
    const camel = run.match(CAMEL_WORD) ?? [];
    words.push(...camel.map((w) => w.toLowerCase()));
    pieces.push(run, ...camel, ...(run.match(CASE_RUN) ?? []));
  }
  return { words, pieces: pieces.map((w) => w.toLowerCase()) };
}

/**
 * Why a reason does not explain anything, or `undefined` when it is acceptable: fewer than
 * {@link MIN_REASON_VISIBLE} visible characters, a placeholder marker word
 * ({@link PLACEHOLDER_MARKERS}), only filler words ({@link FILLER_WORDS}) or fewer than three
 * distinct visible characters ("aaaaaaaaaa", "----------"). The message never quotes the reason.
 */
export function reasonProblem(reason: string): string | undefined {
  const visible = reason.match(VISIBLE) ?? [];
  if (visible.length < MIN_REASON_VISIBLE) {
    return `reason must have at least ${MIN_REASON_VISIBLE} visible characters: write why this risk is accepted`;
  }
  const { words, pieces } = reasonTokens(reason);
  if (pieces.some((w) => MARKERS.has(w) || /^x{3,}$/.test(w))) {
    return 'reason is a placeholder (TODO, FIXME, TBD, XXX…): write why this risk is accepted';
  }
  if (words.every((w) => FILLER.has(w)) || new Set(visible.map((c) => c.toLowerCase())).size < 3) {
    return 'reason says nothing (only filler words or repeated characters): write why this risk is accepted';
  }
  return undefined;
}

/** Limits on exemptions beyond their shape, from configuration. */
export interface ExemptionLimits {
  /**
   * Days after today (UTC) an exemption may run at most. When set, every exemption needs an
   * `expires` date no later than that.
   */
  maxExpiryDays?: number;
}

/** Today (UTC) plus `days`, as YYYY-MM-DD. */
function daysAfter(now: Date, days: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Why an expiry date is not acceptable under `limits`, or `undefined`. A date in the past is
 * not a problem here (it is reported as expired); a missing date is one only when
 * `maxExpiryDays` is set.
 */
export function expiryProblem(
  expires: string | undefined,
  limits: ExemptionLimits,
  now: Date,
): string | undefined {
  if (expires !== undefined) {
    if (!ISO_DATE.test(expires)) return 'expires must be a date as YYYY-MM-DD';
    if (!isCalendarDate(expires)) return 'expires must be a real calendar date';
  }
  const max = limits.maxExpiryDays;
  if (max === undefined) return undefined;
  const last = daysAfter(now, max);
  if (expires === undefined) {
    return `expires is required: exemptions may run at most ${max} days (until ${last})`;
  }
  if (expires > last) return `expires is more than ${max} days away: set a date no later than ${last}`;
  return undefined;
}

/** True when an exemption applies to every resource: no `resource`, or a glob of only `*`. */
export function coversEveryResource(resource: string | undefined): boolean {
  return resource === undefined || /^\*+$/.test(resource);
}

/** Input kinds whose labels are declared by a reviewed source: a program, a compose file, a stack. */
export const DECLARED_LABEL_SOURCES: readonly InputKind[] = Object.freeze([
  'pulumi',
  'compose',
  'stack-export',
  'preview',
]);

/** Every input kind a label can come from; `inspect` is a live engine's (or its JSON's) report. */
export const LABEL_SOURCES: readonly InputKind[] = Object.freeze([...DECLARED_LABEL_SOURCES, 'inspect']);

/** An exemptions file: the exemptions and the settings that travel with them. */
export interface ExemptionsConfig {
  exemptions: Exemption[];
  /** Longest an exemption (from the file or a label) may run, in days from today. */
  maxExpiryDays?: number;
  /** Input kinds whose `dev.bulkhead.exempt.*` labels are honoured (default {@link DECLARED_LABEL_SOURCES}). */
  trustLabels?: InputKind[];
}

/** Options of {@link parseExemptionsConfig}. */
export interface ParseExemptionsOptions {
  /** Limits that apply when the data sets none (a CLI flag, the pack's config). */
  limits?: ExemptionLimits;
  /** Clock for the expiry horizon. */
  now?: Date;
}

/**
 * Validates an exemptions file (already parsed from JSON/YAML): a list, or an object with
 * `exemptions` and the settings `maxExpiryDays` and `trustLabels`. With a horizon, each
 * exemption must expire within it.
 * @throws {@link InputError} naming each bad field.
 */
export function parseExemptionsConfig(
  data: unknown,
  where = 'exemptions',
  options: ParseExemptionsOptions = {},
): ExemptionsConfig {
  const { list, wrapped } = exemptionsFileSchema();
  const isList = Array.isArray(data);
  const result = isList ? list.safeParse(data) : wrapped.safeParse(data);
  if (!result.success) throw formatExemptionError(`Invalid ${where}:`, result.error);
  const file = (isList ? { exemptions: result.data } : result.data) as {
    exemptions: ParsedExemption[];
    maxExpiryDays?: number;
    trustLabels?: InputKind[];
  };
  const maxExpiryDays = file.maxExpiryDays ?? options.limits?.maxExpiryDays;
  const out: ExemptionsConfig = {
    exemptions: file.exemptions.map((e) => {
      const exemption: Exemption = { rule: e.rule, resource: e.resource, reason: e.reason };
      if (e.expires !== undefined) exemption.expires = e.expires;
      return exemption;
    }),
  };
  if (maxExpiryDays !== undefined) {
    out.maxExpiryDays = maxExpiryDays;
    const now = options.now ?? new Date();
    const lines: string[] = [];
    const paths: string[] = [];
    out.exemptions.forEach((e, i) => {
      const problem = expiryProblem(e.expires, { maxExpiryDays }, now);
      if (problem) {
        const path = isList ? `[${i}].expires` : `exemptions[${i}].expires`;
        paths.push(path);
        lines.push(`  ${path}: ${problem}`);
      }
    });
    if (lines.length > 0) throw new InputError(`Invalid ${where}:\n${lines.join('\n')}`, paths);
  }
  if (file.trustLabels !== undefined) out.trustLabels = [...new Set(file.trustLabels)];
  return out;
}

/**
 * Validates exemptions (already parsed from JSON/YAML); the list of {@link parseExemptionsConfig}.
 * @throws {@link InputError} naming each bad field.
 */
export function parseExemptions(
  data: unknown,
  where = 'exemptions',
  options: ParseExemptionsOptions = {},
): Exemption[] {
  return parseExemptionsConfig(data, where, options).exemptions;
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

/** How a reason that is a secret is shown: never its text. */
export const SECRET_REASON = '[secret]';

/** One `dev.bulkhead.exempt.<rule>` label of a resource, read and checked. */
export interface LabelExemption {
  /** The rule id the label names (from its key). */
  rule: string;
  /** The label key, for finding paths. */
  key: string;
  /** The reason as it may be shown: trimmed text, or {@link SECRET_REASON} for a secret. */
  reason: string;
  /** The expiry label's date, when it has a known one that may be shown. */
  expires?: string;
  /** Why the label does not exempt anything (invalid or expired), when it does not. */
  problem?: string;
  /** True when the problem is that the exemption expired. */
  expired?: boolean;
}

/** What checking exemption labels needs beyond the labels. */
export interface LabelCheck extends ExemptionLimits {
  /** True for a known rule id; labels naming another id are invalid. */
  isRule?: (id: string) => boolean;
  now: Date;
}

/**
 * Reads a resource's exemption labels, checked exactly as an exemptions file is: a known rule
 * id, a reason of at least ten visible characters that is not a placeholder, a real expiry date
 * within the configured horizon, not passed. A reason that is not known yet (a computed output)
 * makes no exemption and no problem. Problems never quote a label's value.
 */
export function readLabelExemptions(
  labels: Val<Record<string, Val<MaybeSecret>>> | undefined,
  check: LabelCheck,
): LabelExemption[] {
  if (!isKnown(labels) || typeof labels !== 'object' || labels === null) return [];
  const out: LabelExemption[] = [];
  for (const key of Object.keys(labels)) {
    if (!key.startsWith(LABELS.exemptPrefix)) continue;
    const raw = labels[key];
    if (!isKnown(raw)) continue;
    const rule = key.slice(LABELS.exemptPrefix.length);
    const text = reveal(raw).trim();
    const found: LabelExemption = { rule, key, reason: isSecret(raw) ? SECRET_REASON : text };
    const expiresKey = `${LABELS.exemptExpiresPrefix}${rule}`;
    const expiresRaw = Object.hasOwn(labels, expiresKey) ? labels[expiresKey] : undefined;
    const expires = isKnown(expiresRaw) ? reveal(expiresRaw).trim() : undefined;
    let problem: string | undefined;
    if (check.isRule && !check.isRule(rule)) {
      problem = 'names no rule id (see `bulkhead rules list`)';
    } else {
      problem = reasonProblem(text) ?? expiryProblem(expires, check, check.now);
    }
    if (problem === undefined && expires !== undefined && isPastExpiry(expires, check.now)) {
      problem = `expired on ${isSecret(expiresRaw) ? 'its expiry date' : expires}: renew the decision or remove the label`;
      found.expired = true;
    }
    if (expires !== undefined && isCalendarDate(expires) && !isSecret(expiresRaw)) found.expires = expires;
    if (problem !== undefined) found.problem = problem;
    out.push(found);
  }
  return out;
}

let currentCheck: LabelCheck | undefined;

/**
 * Runs `fn` with the label check of one evaluation (its clock, horizon and catalog), which the
 * `exemption-labels-valid` rule reads: a rule's `check` sees only the resources.
 */
export function withLabelCheck<T>(check: LabelCheck, fn: () => T): T {
  const outer = currentCheck;
  currentCheck = check;
  try {
    return fn();
  } finally {
    currentCheck = outer;
  }
}

/**
 * The label check of the running evaluation; outside one (a rule called directly), today's
 * clock, no horizon, and any rule id accepted.
 */
export function currentLabelCheck(): LabelCheck {
  return currentCheck ?? { now: new Date() };
}
