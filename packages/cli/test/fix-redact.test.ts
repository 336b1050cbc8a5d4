/**
 * `bulkhead fix --dry-run` never prints a secret: the diff's context lines are the file's own, and
 * a service's environment often sits right above the keys the fix adds. Values judged secret (by
 * name or shape, or wrapped in a Pulumi `secret(…)`) are masked; a diff that shows none still
 * applies with `patch`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { planComposeFix } from '../src/fix/compose.js';
import { programSecretSpans } from '../src/fix/pulumi.js';
import { maskSpans, redactedPatch, yamlSecretSpans } from '../src/fix/redact.js';
import { bulkhead } from './support/cli.js';

const SECRET_NAMES = ['DB_PASSWORD', 'API_TOKEN', 'client_secret', 'AWS_ACCESS_KEY', 'SIGNING_KEY'];
/** A canary value: found in an output means the secret leaked. */
const canary = () => fc.stringMatching(/^[a-z0-9]{6,16}$/).map((s) => `canary${s}`);

/** The places a compose file can hold an environment value. */
const composeWith = (form: number, name: string, value: string) =>
  [
    `services:\n  web:\n    image: registry.example/web:1\n    environment:\n      ${name}: ${value}\n      MODE: prod\n`,
    `services:\n  web:\n    image: registry.example/web:1\n    environment:\n      - ${name}=${value}\n      - MODE=prod\n`,
    `services:\n  web:\n    image: registry.example/web:1\n    environment: ["${name}=${value}", "MODE=prod"]\n`,
    `x-env: &env\n  ${name}: "${value}"\nservices:\n  web:\n    image: registry.example/web:1\n    environment:\n      <<: *env\n`,
    `services:\n  web:\n    image: registry.example/web:1\n    environment:\n      URL: "postgres://app:${value}@db/app"\n`,
    `services:\n  web:\n    image: registry.example/web:1\n    environment:\n      ${name}: |\n        ${value}\n        ${value}2\n`,
  ][form]!;

describe('the --dry-run diff of a compose file', () => {
  it('never shows a secret-named or credential-shaped value, in any form compose takes it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom(...SECRET_NAMES),
        canary(),
        (form, name, value) => {
          const text = composeWith(form, name, value);
          const plan = planComposeFix(text, 'compose.yaml');
          expect(plan.text).toContain(value); // the fix itself keeps the value
          const { patch, masked } = redactedPatch('compose.yaml', text, plan.text, yamlSecretSpans);
          expect(patch).not.toContain(value);
          const clear = createTwoFilesPatch('compose.yaml', 'compose.yaml', text, plan.text, '', '', {
            context: 3,
          });
          expect(masked).toBe(clear.includes(value));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is the plain diff, and applies, when the file holds no secret', () => {
    const text = 'services:\n  web:\n    image: registry.example/web:1\n    environment:\n      MODE: prod\n';
    const plan = planComposeFix(text, 'compose.yaml');
    const { patch, masked } = redactedPatch('compose.yaml', text, plan.text, yamlSecretSpans);
    expect(masked).toBe(false);
    expect(patch).toBe(
      createTwoFilesPatch('compose.yaml', 'compose.yaml', text, plan.text, '', '', { context: 3 }),
    );
    expect(applyPatch(text, patch)).toBe(plan.text);
  });

  it('keeps line numbers when a masked value spans lines', () => {
    const text = 'a: 1\nTOKEN: |\n  one\n  two\nb: 2\n';
    const masked = maskSpans(text, yamlSecretSpans(text));
    expect(masked.split('\n')).toHaveLength(text.split('\n').length);
    expect(masked).not.toMatch(/one|two/);
    expect(masked).toMatch(/^a: 1\nTOKEN: \*\*\*/);
  });
});

describe('the --dry-run diff of a Pulumi program', () => {
  it('masks every secret(…) argument, secret-named properties and NAME=value strings, and nothing else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_NAMES), canary(), canary(), canary(), (name, a, b, c) => {
        const text =
          `const env = [pulumi.secret('${a}'), \`${name}=${b}\`, 'MODE=prod'];\n` +
          `const db = { ${name.toLowerCase()}: "${c}", image: 'registry.example/db:1' };\n` +
          `const s = pulumi.Output.secret({ inner: '${a}x' });\n` +
          `const t = { ${name.toLowerCase()}: ('${b}x' as string), api_${name.toLowerCase()}: \`\${prefix}${c}y\` };\n`;
        const masked = maskSpans(text, programSecretSpans(text));
        for (const v of [a, b, c, `${b}x`, `${c}y`]) expect(masked).not.toContain(v);
        expect(masked).toContain("'MODE=prod'");
        expect(masked).toContain("image: 'registry.example/db:1'");
        expect(masked.split('\n')).toHaveLength(text.split('\n').length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bulkhead fix --dry-run (built binary)', () => {
  jest.setTimeout(120_000);
  let dir: string;
  beforeAll(() => {
    // Inside the package, so a program resolves the repo's @pulumi/docker.
    dir = mkdtempSync(path.join(__dirname, '.tmp-fix-redact-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints no secret of a compose file, and says that it masked some', async () => {
    const file = path.join(dir, 'compose.yaml');
    writeFileSync(file, composeWith(0, 'DB_PASSWORD', 'canarycompose1'));
    const r = await bulkhead(['fix', file, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {7}DB_PASSWORD: \*\*\*$/m);
    expect(r.stdout + r.stderr).not.toContain('canarycompose1');
    expect(r.stderr).toMatch(/^note: secret-looking values are shown as \*\*\* in the diff/m);
  });

  it('prints no pulumi.secret value of a program', async () => {
    const project = path.join(dir, 'prog');
    const program = path.join(project, 'index.ts');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project);
    writeFileSync(path.join(project, 'Pulumi.yaml'), 'name: p\nruntime: nodejs\n');
    const text =
      "import * as pulumi from '@pulumi/pulumi';\nimport * as docker from '@pulumi/docker';\n\n" +
      "export const web = new docker.Container('web', {\n  image: 'registry.example/web:1',\n" +
      "  envs: [pulumi.secret('DB_PASSWORD=canaryprogram1')],\n});\n";
    writeFileSync(program, text);
    const r = await bulkhead(['fix', project, '--dry-run'], { cwd: path.join(__dirname, '..') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('envs: [pulumi.secret(***)],');
    expect(r.stdout + r.stderr).not.toContain('canaryprogram1');
    expect(readFileSync(program, 'utf8')).toBe(text);
  });
});
