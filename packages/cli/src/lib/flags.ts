import { FRAMEWORKS, PROFILES, SEVERITIES } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { FORMATS } from '../report/index.js';
import { EXIT, UserError } from './exit.js';

/** `--fail-on` values: a severity, or `none` to never fail on findings. */
export const FAIL_ON = [...SEVERITIES, 'none'] as const;

/**
 * The rule selection flags, defined once (`validate`, `audit`, `rules list`): the same query as the
 * project config's `select` and the policy pack's settings, key by key. A flag replaces the
 * config's value for its key.
 */
export const selectionFlags = {
  config: Flags.string({
    description:
      'Project config (bulkhead.config.{js,mjs,cjs,ts} or package.json with a "bulkhead" key): rule packages, ' +
      'rule selection, exemptions and flag defaults. Default: the first found from the working directory up.',
    helpValue: 'FILE',
  }),
  profile: Flags.option({
    options: PROFILES,
    description: 'Rule profile: `baseline` (the essentials) or `restricted` (every rule; the default).',
  })(),
  severity: Flags.option({
    options: SEVERITIES,
    multiple: true,
    description: 'Only rules of this severity (repeatable).',
  })(),
  tag: Flags.string({ multiple: true, description: 'Only rules with this tag (repeatable).' }),
  framework: Flags.string({
    multiple: true,
    description: `Only rules mapped to this framework: ${Object.keys(FRAMEWORKS).join(', ')} or a rule package's own (repeatable).`,
  }),
  include: Flags.string({
    multiple: true,
    description: 'Only this rule id; `*` matches any text, as in `acme/*` (repeatable).',
  }),
  exclude: Flags.string({
    multiple: true,
    description: 'Never this rule id; globs as --include (repeatable).',
  }),
};

/** Flags shared by `validate` and `audit`, defined once. */
export const reportFlags = {
  ...selectionFlags,
  exemptions: Flags.string({
    description:
      'Exemptions file (YAML or JSON): accepted risks, each with a rule, resource glob and reason; or ' +
      '{ exemptions, maxExpiryDays, trustLabels }.',
    helpValue: 'FILE',
  }),
  'trust-labels': Flags.boolean({
    description:
      'Honour dev.bulkhead.exempt.* labels that a Docker engine reports (audit, docker inspect JSON). ' +
      'Without it they are shown as ignored: whoever starts a container writes its labels.',
    default: false,
  }),
  format: Flags.option({
    char: 'f',
    options: FORMATS,
    description: "Output format (default: table, or the project config's defaults.format).",
  })(),
  output: Flags.string({
    char: 'o',
    description:
      'Write the report to FILE instead of standard output (a regular file is replaced atomically, keeping its mode; FIFOs and devices are written through; inputs, hard-linked files and dangling links are refused).',
    helpValue: 'FILE',
  }),
  baseline: Flags.string({
    description:
      'Baseline file (--write-baseline writes it): failed findings it records are accepted and left out of ' +
      'the report and the exit code; entries that no longer match are listed on stderr so they can be dropped.',
    helpValue: 'FILE',
    exclusive: ['write-baseline'],
  }),
  'write-baseline': Flags.string({
    description:
      "Record this run's failed findings in FILE (replaced atomically) and accept them for this run: " +
      'later runs with --baseline FILE fail only on new findings.',
    helpValue: 'FILE',
  }),
  'fail-on': Flags.option({
    options: FAIL_ON,
    description:
      'Exit 1 when a failed finding has this severity or worse, or a rule broke; `none` never fails ' +
      "(default: high, or the project config's defaults.failOn).",
  })(),
};

/**
 * Checks a whole-number flag value against its range; the error names the flag, the range and
 * the unit (oclif's own integer flag accepts any size).
 */
function parseBounded(flag: string, text: string, range: { min: number; max: number; unit: string }): number {
  const n = /^\s*\d{1,15}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UserError(
      `--${flag} ${text}: expected a whole number of ${range.unit} from ${range.min} to ${range.max}`,
      EXIT.usage,
    );
  }
  return n;
}

/** A whole-number flag limited to `min`…`max` (see {@link parseBounded}). */
export function boundedInteger(options: {
  name: string;
  min: number;
  max: number;
  unit: string;
  default: number;
  description: string;
}) {
  return Flags.custom<number>({
    description: `${options.description} (${options.min}-${options.max} ${options.unit})`,
    default: options.default,
    helpValue: options.unit.toUpperCase(),
    parse: async (text) => parseBounded(options.name, text, options),
  })();
}

/** Units of the duration grammar, in milliseconds. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** A duration in its shortest exact form of the grammar (`100ms`, `10s`, `60m`). */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  if (ms % UNIT_MS.s === 0) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}

/**
 * Parses a duration flag value, the one grammar of every time a `bulkhead` flag takes: a number
 * with a unit, `500ms`, `10s` or `2m` (a bare number is seconds; decimals such as `1.5s` are
 * rounded to the millisecond), within `min`…`max` milliseconds.
 * @returns the duration in milliseconds.
 * @throws {@link UserError} (exit 2): one line naming the flag, the value, the range and the grammar.
 */
export function parseDuration(flag: string, text: string, range: { min: number; max: number }): number {
  const m = /^\s*(\d{1,9}(?:\.\d{1,3})?)(ms|s|m)?\s*$/.exec(text);
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS]) : Number.NaN;
  if (!(ms >= range.min && ms <= range.max)) {
    throw new UserError(
      `--${flag} ${text}: expected a duration from ${formatDuration(range.min)} to ${formatDuration(range.max)}, such as 10s, 500ms or 2m (a bare number is seconds)`,
      EXIT.usage,
    );
  }
  return ms;
}

/**
 * A duration flag (see {@link parseDuration}): its value is in milliseconds, its default and range
 * are written in the grammar in help.
 */
export function durationFlag(options: {
  name: string;
  /** Range in milliseconds. */
  min: number;
  max: number;
  /** Default in the grammar (`10s`). */
  default: string;
  description: string;
}) {
  const range = { min: options.min, max: options.max };
  const defaultMs = parseDuration(options.name, options.default, range);
  return Flags.custom<number>({
    description: `${options.description} (${formatDuration(options.min)} to ${formatDuration(options.max)}; 500ms, 10s, 2m)`,
    default: defaultMs,
    // Help and the README show the default as written, not in milliseconds.
    defaultHelp: async () => options.default,
    helpValue: 'DURATION',
    parse: async (text) => parseDuration(options.name, text, range),
  })();
}

/**
 * `--format` of a command whose machine output is oclif's JSON mode (`enableJsonFlag`): `json`
 * prints the command's result, or its error, as JSON (see `BaseCommand.jsonEnabled`). `--json`,
 * the flag `enableJsonFlag` adds, stays as a hidden, deprecated alias of `--format json`.
 */
export function formatFlags<const H extends string>(human: H, description: string) {
  return {
    format: Flags.option({
      char: 'f',
      options: [human, 'json'] as const,
      default: human,
      description,
    })(),
    json: Flags.boolean({
      hidden: true,
      description: 'Deprecated alias of --format json.',
    }),
  };
}
