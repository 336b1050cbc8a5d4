import type { EnvSpec } from '../model/spec.js';
import { isSecret, isUnknown, reveal } from '../model/value.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** Variable names that usually hold a credential. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|CREDENTIALS?|CONNECTION_?STRING)/;

/** Suffixes that name a reference or a setting about a credential rather than the credential itself. */
const NOT_A_SECRET =
  /_(FILE|PATH|DIR|FILENAME|LOCATION|URL|URI|ENDPOINT|HOST|PORT|ID|NAME|TTL|EXPIRY|EXPIRES|EXPIRATION|TIMEOUT|LENGTH|SIZE|ENABLED|REQUIRED|HEADER|TYPE|ALGORITHM|ISSUER|AUDIENCE)$/;

/** Value shapes of well-known credentials, each with the words a message may use for it. */
const SECRET_VALUES: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\bxox[abeprs]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\b[sr]k_(live|test)_[A-Za-z0-9]{16,}\b/, 'a Stripe key'],
  [/\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}\b/, 'an API secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, 'a JSON web token'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];

/** What kind of credential a value looks like, if any. */
export function credentialShape(value: string): string | undefined {
  // The shortest shape above is a URL with a password, `a://b:c@`: shorter values match none.
  if (value.length < 8) return undefined;
  for (const [re, what] of SECRET_VALUES) if (re.test(value)) return what;
  return undefined;
}

/** True when an environment variable name suggests it holds a credential. */
export function isSecretName(name: string): boolean {
  const n = name.trim().toUpperCase();
  return SECRET_NAME.test(n) && !NOT_A_SECRET.test(n);
}

/** The finding for `env[index]`, if any (its path is built only for a finding). */
function checkEnv(e: unknown, index: number): Outcome | undefined {
  if (typeof e !== 'object' || e === null || isUnknown(e)) return unknown(`env[${index}]`);
  const { name, value } = e as EnvSpec;
  if (value === undefined || isSecret(value)) return undefined;
  if (isUnknown(value)) {
    return typeof name !== 'string' || isSecretName(name) ? unknown(`env[${index}].value`) : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const shape = credentialShape(reveal(value));
  if (shape) return fail(`env[${index}].value`, `a plain-text value looks like ${shape}`);
  if (typeof name !== 'string') return unknown(`env[${index}].name`);
  return isSecretName(name)
    ? fail(`env[${index}]`, 'sets a secret-looking variable in plain text')
    : undefined;
}

/** Environment variables are visible to `docker inspect`, child processes, crash dumps and logs. */
export const noSecretsInEnv: ContainerRule = {
  id: 'no-secrets-in-env',
  scope: 'container',
  title: 'Secrets must not be passed as plain-text environment variables',
  severity: 'high',
  level: 'baseline',
  rationale:
    'A plain-text value in the environment is stored in the container config, shown by `docker inspect`, ' +
    'inherited by every child process and often printed by crash reports, and in a Pulumi program it ' +
    'lands unencrypted in the state file. A Pulumi secret stays encrypted in state; a mounted secret file ' +
    '(`*_FILE` variables, Docker secrets) keeps it out of the environment altogether.',
  remediation: {
    pulumi:
      'Pass the value as a secret: `config.requireSecret("dbPassword")` or `pulumi.secret(...)`, or mount ' +
      'it as a file and point a `*_FILE` variable at it.',
    compose: 'Use top-level `secrets:` mounted into the service and a `*_FILE` variable, not `environment`.',
    dockerRun: 'Mount the secret as a read-only file (`-v /run/secrets/x:/run/secrets/x:ro`), not `-e`.',
  },
  references: {
    nist: '4.1.4',
    docs: 'https://docs.docker.com/compose/how-tos/use-secrets/',
  },
  example: { insecure: { env: [{ name: 'DB_PASSWORD', value: 'correct-horse-battery' }] }, fails: 'env[0]' },
  check(spec) {
    const list = spec.env;
    if (list === undefined) return collect([]);
    if (!Array.isArray(list)) return unknown('env');
    const out: Outcome[] = [];
    for (const [i, e] of list.entries()) {
      const o = checkEnv(e, i);
      if (o) out.push(o);
    }
    return collect(out);
  },
};
