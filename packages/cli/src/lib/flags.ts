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
      'Project config (bulkhead.config.{js,mjs,cjs} or package.json with a "bulkhead" key): rule packages, ' +
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
  'fail-on': Flags.option({
    options: FAIL_ON,
    description:
      'Exit 1 when a failed finding has this severity or worse, or a rule broke; `none` never fails ' +
      "(default: high, or the project config's defaults.failOn).",
  })(),
};

/**
 * Checks a whole-number flag value against its range; the error names the flag, the range and
 * the unit. Every numeric flag goes through it (oclif's own integer flag accepts any size).
 */
export function parseBounded(
  flag: string,
  text: string,
  range: { min: number; max: number; unit: string },
): number {
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
