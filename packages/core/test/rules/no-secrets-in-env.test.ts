import { Secret, UNKNOWN } from '../../src/model/value.js';
import { noSecretsInEnv } from '../../src/rules/no-secrets-in-env.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noSecretsInEnv, {
  mutations: [
    exampleMutation(noSecretsInEnv),
    { name: 'passes an ordinary variable', set: { env: [{ name: 'LOG_LEVEL', value: 'info' }] } },
  ],
});

describe('no-secrets-in-env', () => {
  const id = 'no-secrets-in-env';
  it('passes the compliant fixture and ordinary variables', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({
        env: [
          { name: 'TOKEN_TTL', value: '3600' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
      }),
    );
  });
  it.each(['DB_PASSWORD', 'GITHUB_TOKEN', 'api_key', 'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY'])(
    'fails when %s has a plain value',
    (name) =>
      void expectFail(
        id,
        container({
          env: [
            { name: 'PORT', value: '80' },
            { name, value: 'hunter2' },
          ],
        }),
        'env[1]',
      ),
  );
  it('is unknown when a credential-free value has a name that is not known yet', () =>
    expectUnknown(id, container({ env: [{ name: UNKNOWN, value: 'plain' }] }), 'env[0].name'));
  it('passes a secret-looking variable whose value is a Pulumi secret', () =>
    expectPass(id, container({ env: [{ name: 'DB_PASSWORD', value: new Secret('hunter2') }] })));
  it('passes *_FILE references and empty values', () =>
    expectPass(
      id,
      container({
        env: [
          { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' },
          { name: 'API_KEY', value: '' },
        ],
      }),
    ));
  it.each([
    ['a GitHub token', `ghp_${'A1b2'.repeat(9)}`],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['a URL with a password', 'postgres://app:s3cret@db:5432/app'],
    ['a JSON web token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc'],
  ])('fails when a value under an innocent name looks like %s, never echoing any of it', (shape, value) => {
    const [msg] = expectFail(id, container({ env: [{ name: 'CONFIG', value }] }), 'env[0].value');
    expect(msg).toBe(`a plain-text value looks like ${shape}`);
    expect(msg).not.toContain(value.slice(0, 4));
  });
  it('is unknown when a secret-looking variable has an unknown value', () =>
    expectUnknown(id, container({ env: [{ name: 'DB_PASSWORD', value: UNKNOWN }] }), 'env[0].value'));
  it('is unknown when the list is unknown', () => expectUnknown(id, container({ env: UNKNOWN }), 'env'));
});
