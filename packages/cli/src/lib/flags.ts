import { PROFILES, SEVERITIES } from '@bulkhead/core';
import { Flags } from '@oclif/core';
import { FORMATS } from '../report/index.js';

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
    description: 'Write the report to FILE (atomically) instead of standard output.',
    helpValue: 'FILE',
  }),
  'fail-on': Flags.option({
    options: FAIL_ON,
    default: 'high' as const,
    description: 'Exit 1 when a failed finding has this severity or worse; `none` never fails.',
  })(),
};
