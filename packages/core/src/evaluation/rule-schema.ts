// The zod schema of a rule's metadata: what `defineRule` and a catalog built from rule packages
// check, so that a malformed rule fails at load with one line naming the rule and the field.
// Bulkhead's own rules are checked by the catalog tests instead (zod is not loaded at start-up).

import { InputError } from '../errors.js';
import { zod } from '../lazy.js';
import { PROFILES, type Rule, SEVERITIES } from '../rules/types.js';

/** A bare rule id, Bulkhead's own: kebab-case (`no-privileged`). */
export const BARE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A rule package's id: `<namespace>/<kebab-case id>` (`acme/owner-label`). */
export const NAMESPACED_ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;
/** A tag or framework name: lower-case words, digits, `.`, `:`, `_` and `-` (`team:payments`, `soc2`). */
const TAG = /^[a-z0-9][a-z0-9._:-]{0,63}$/;

function ruleSchema() {
  const z = zod();
  const text = (field: string, min: number) =>
    z
      .string({ error: `${field} must be a string` })
      .refine((s) => s.trim().length >= min, `${field} must say something (at least ${min} characters)`);
  const names = (field: string) =>
    z
      .array(z.string().regex(TAG, `${field} entries must be lower-case names such as "supply-chain"`), {
        error: `${field} must be a list of names`,
      })
      .max(32, `${field} may hold at most 32 names`)
      .optional();
  return z
    .object({
      id: z
        .string({ error: 'id must be a string' })
        .refine((id) => BARE_ID.test(id) || NAMESPACED_ID.test(id), {
          message:
            'id must be kebab-case, namespaced for a rule package: "<namespace>/<id>" such as "acme/owner-label"',
        }),
      scope: z.enum(['container', 'network', 'stack'], {
        error:
          'scope must be container, network or stack (use defineContainerRule, defineNetworkRule or defineStackRule)',
      }),
      title: text('title', 5),
      severity: z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(', ')}` }),
      level: z.enum(PROFILES, { error: `level must be one of ${PROFILES.join(', ')}` }),
      rationale: text('rationale', 10),
      remediation: z.object(
        { pulumi: text('pulumi', 5), compose: text('compose', 5), dockerRun: text('dockerRun', 5) },
        { error: 'remediation must be an object { pulumi, compose, dockerRun }' },
      ),
      references: z.object(
        {
          docs: z
            .string({ error: 'docs must be a URL' })
            .regex(/^https?:\/\/\S+$/, 'docs must be an http(s) URL'),
          cis: z
            .string()
            .regex(/^\d+(\.\d+)*$/, 'cis must be a CIS Docker Benchmark id such as "5.5"')
            .optional(),
          pss: z.string().min(1).optional(),
          nist: z
            .string()
            .regex(/^\d+(\.\d+)*$/, 'nist must be a NIST SP 800-190 section such as "4.4.3"')
            .optional(),
        },
        { error: 'references must be an object { docs, cis?, pss?, nist? }' },
      ),
      tags: names('tags'),
      frameworks: names('frameworks'),
      check: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
        message: 'check must be a function',
      }),
      pulumiFix: z
        .custom<object>(
          (v) =>
            typeof v === 'object' && v !== null && typeof (v as { apply?: unknown }).apply === 'function',
          { message: 'pulumiFix must be an object { apply(props, values) } (container rules only)' },
        )
        .optional(),
    })
    .refine((r) => r.pulumiFix === undefined || r.scope === 'container', {
      path: ['pulumiFix'],
      message: 'pulumiFix: only a container rule has a machine fix (it edits `docker.Container` inputs)',
    });
}

let schema: ReturnType<typeof ruleSchema> | undefined;

/** How a rule is named in an error: its id when it has a readable one, its place otherwise. */
export function ruleName(rule: unknown, at?: string): string {
  const id = (rule as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 128
    ? `rule "${id}"`
    : `rule ${at ?? '(no id)'}`;
}

/**
 * Checks a rule's metadata and returns it typed.
 * @param from where it comes from (a package name), for the error
 * @throws {@link InputError}, one line naming the rule and each wrong field
 */
export function checkRule(rule: unknown, from?: string, at?: string): Rule {
  schema ??= ruleSchema();
  if (typeof rule !== 'object' || rule === null) {
    throw new InputError(`${ruleName(rule, at)}${from ? ` (${from})` : ''}: expected a rule object`, [
      at ?? '',
    ]);
  }
  const result = schema.safeParse(rule);
  if (result.success) return rule as Rule;
  const fields: string[] = [];
  const parts = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    fields.push(path);
    return issue.message.startsWith(String(issue.path[issue.path.length - 1] ?? '\0'))
      ? `${path.includes('.') ? `${path.slice(0, path.lastIndexOf('.'))}.` : ''}${issue.message}`
      : `${path || '(rule)'}: ${issue.message}`;
  });
  throw new InputError(`${ruleName(rule, at)}${from ? ` (${from})` : ''}: ${parts.join('; ')}`, fields);
}
