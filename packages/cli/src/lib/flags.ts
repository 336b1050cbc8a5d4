import { PROFILES, SEVERITIES } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { FORMATS } from '../report/index.js';
import { EXIT, UserError } from './exit.js';

/** `--fail-on` values: a severity, or `none` to never fail on findings. */
export const FAIL_ON = [...SEVERITIES, 'none'] as const;

/** Flags shared by `validate` and `audit`, defined once. */
export const reportFlags = {
  profile: Flags.option({
    options: PROFILES,
    default: 'restricted' as const,
    description: 'Rule profile: `baseline` (the essentials) or `restricted` (every rule).',
  })(),
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
    default: 'table' as const,
    description: 'Output format.',
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
    default: 'high' as const,
    description: 'Exit 1 when a failed finding has this severity or worse; `none` never fails.',
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
