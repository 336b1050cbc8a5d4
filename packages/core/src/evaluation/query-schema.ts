// The zod schema of a rule selection query (see query.ts): one schema for the policy pack's config,
// the CLI's config file and its flags, so each reports a wrong value the same way.
import { zod } from '../lazy.js';
import { PROFILES, SEVERITIES } from '../rules/types.js';
import { FRAMEWORKS, QUERY_KEYS } from './query.js';

/** zod schema of a {@link RuleQuery}; errors name the key and the values it takes. */
export function ruleQuerySchema() {
  const z = zod();
  const list = (key: string, what: string) =>
    z
      .array(
        z.string({ error: `${key} entries must be ${what}` }).min(1, `${key} entries must not be empty`),
        {
          error: `${key} must be a list of ${what}`,
        },
      )
      .max(256, `${key} may name at most 256 values`)
      .optional();
  return z.strictObject(
    {
      profile: z.enum(PROFILES, { error: `profile must be one of ${PROFILES.join(', ')}` }).optional(),
      severity: z
        .array(z.enum(SEVERITIES, { error: `severity entries must be one of ${SEVERITIES.join(', ')}` }), {
          error: `severity must be a list of severities (${SEVERITIES.join(', ')})`,
        })
        .optional(),
      tags: list('tags', 'tag names'),
      frameworks: list(
        'frameworks',
        `framework names (${Object.keys(FRAMEWORKS).join(', ')} or a rule's own)`,
      ),
      include: list('include', 'rule ids or globs such as "acme/*"'),
      exclude: list('exclude', 'rule ids or globs such as "acme/*"'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}: a selection takes ${QUERY_KEYS.join(', ')}`
          : `the rule selection must be an object { ${QUERY_KEYS.join(', ')} }`,
    },
  );
}
