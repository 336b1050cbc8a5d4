import { Secret, UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown, outcomes } from './helpers.js';

describe('healthcheck', () => {
  const id = 'healthcheck';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when no health check is declared, noting an image HEALTHCHECK is not visible', () => {
    const [msg] = expectFail(id, container({ healthcheck: undefined }), 'healthcheck');
    expect(msg).toContain('image HEALTHCHECK');
  });
  it('fails when the health check is disabled or NONE', () => {
    expectFail(id, container({ healthcheck: { disabled: true } }), 'healthcheck.disabled');
    expectFail(id, container({ healthcheck: { test: ['NONE'] } }), 'healthcheck.test[0]');
  });
  it('fails when the test has no command', () => {
    expectFail(id, container({ healthcheck: { test: [] } }), 'healthcheck.test');
    expectFail(id, container({ healthcheck: { test: ['CMD'] } }), 'healthcheck.test');
  });
  it('is unknown when the health check is unknown', () => {
    expectUnknown(id, container({ healthcheck: UNKNOWN }), 'healthcheck');
    expectUnknown(id, container({ healthcheck: { test: UNKNOWN } }), 'healthcheck.test');
  });
  it('is unknown when whether it is disabled, or its first test word, is not known yet', () => {
    expectUnknown(
      id,
      container({ healthcheck: { disabled: UNKNOWN, test: ['CMD', 'true'] } }),
      'healthcheck.disabled',
    );
    expectUnknown(id, container({ healthcheck: { test: [UNKNOWN, 'true'] } }), 'healthcheck.test[0]');
    expectPass(id, container({ healthcheck: { disabled: false, test: ['CMD', 'true'] } }));
  });
});

describe('bounded-restarts', () => {
  const id = 'bounded-restarts';
  it('passes the compliant fixture, no policy and "no"', () => {
    expectPass(id, container());
    expectPass(id, container({ restart: undefined }));
    expectPass(id, container({ restart: { policy: 'no' } }));
    expectPass(id, container({ restart: { policy: 'on-failure', maxRetries: 5 } }));
    for (const policy of ['', 'none', ' No ']) expectPass(id, container({ restart: { policy } }));
  });
  it('is unknown when the restart setting is not known yet or not an object', () => {
    expectUnknown(id, container({ restart: UNKNOWN }), 'restart');
    expectUnknown(id, container({ restart: 'always' as never }), 'restart');
  });
  it.each(['always', 'unless-stopped'])(
    'fails when restart is %s',
    (policy) => void expectFail(id, container({ restart: { policy } }), 'restart.policy'),
  );
  it('fails when on-failure has no bound, 0 (unlimited) or more than 5 retries', () => {
    expectFail(id, container({ restart: { policy: 'on-failure' } }), 'restart.maxRetries');
    expectFail(id, container({ restart: { policy: 'on-failure', maxRetries: 0 } }), 'restart.maxRetries');
    expectFail(id, container({ restart: { policy: 'on-failure', maxRetries: 6 } }), 'restart.maxRetries');
  });
  it('is unknown when the policy or the retries are unknown', () => {
    expectUnknown(id, container({ restart: { policy: UNKNOWN } }), 'restart.policy');
    expectUnknown(
      id,
      container({ restart: { policy: 'on-failure', maxRetries: UNKNOWN } }),
      'restart.maxRetries',
    );
  });
});

describe('safe-sysctls', () => {
  const id = 'safe-sysctls';
  it('passes the compliant fixture and safe sysctls in either notation', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({ sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80', 'kernel/shm_rmid_forced': '1' } }),
    );
  });
  it('fails for each sysctl outside the safe set, at its key', () =>
    void expectFail(
      id,
      container({
        sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv4.tcp_syncookies': '1', 'kernel.msgmax': '1' },
      }),
      'sysctls["net.ipv4.ip_forward"]',
      'sysctls["kernel.msgmax"]',
    ));
  it('is unknown when sysctls are unknown', () =>
    expectUnknown(id, container({ sysctls: UNKNOWN }), 'sysctls'));
});

describe('image-digest-pinned', () => {
  const id = 'image-digest-pinned';
  const digest = `sha256:${'b'.repeat(64)}`;
  it('passes the compliant fixture, an image id and a secret-wrapped digest reference', () => {
    expectPass(id, container());
    expectPass(id, container({ image: digest }));
    expectPass(id, container({ image: new Secret(`private.example/app:1@${digest}`) }));
  });
  it('fails when the image is referenced by tag, without echoing it', () => {
    const [msg] = expectFail(id, container({ image: 'registry.example/shop-api:1.2' }), 'image');
    expect(msg).not.toContain('shop-api');
  });
  it('fails for a short or malformed digest', () =>
    void expectFail(id, container({ image: 'nginx@sha256:abc' }), 'image'));
  it('is unknown when the image is unknown or not given', () => {
    expectUnknown(id, container({ image: UNKNOWN }), 'image');
    expectUnknown(id, container({ image: undefined }), 'image');
  });
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

describe('bounded-logs', () => {
  const id = 'bounded-logs';
  it('passes the compliant fixture, the local driver and remote drivers', () => {
    expectPass(id, container());
    expectPass(id, container({ logDriver: 'local', logOpts: undefined }));
    expectPass(id, container({ logDriver: 'syslog', logOpts: undefined }));
    expectPass(id, container({ logDriver: 'fluentd', logOpts: undefined }));
  });
  it('fails when json-file has no max-size', () =>
    void expectFail(id, container({ logOpts: { 'max-file': '3' } }), 'logOpts'));
  it('fails when the driver is the engine default and no max-size is set', () =>
    void expectFail(id, container({ logDriver: undefined, logOpts: undefined }), 'logDriver'));
  it.each(['10m', '10M', '1.5m', '1048576', '2g', '100k', ' 10mb ', '10 m', '1 t', '1gib', '5Mi'])(
    'passes max-size %j',
    (size) => expectPass(id, container({ logOpts: { 'max-size': size } })),
  );
  it.each(['-1', '0', '0.0k', 'lots', 'x10m', '10mx', '10xyz', '1.m', '10 x', ''])(
    'fails max-size %j (unbounded or unparsable)',
    (size) => void expectFail(id, container({ logOpts: { 'max-size': size } }), 'logOpts["max-size"]'),
  );
  it('says which: unbounded, or not parsable', () => {
    expect(expectFail(id, container({ logOpts: { 'max-size': '0' } }), 'logOpts["max-size"]')).toEqual([
      'sets an unbounded max-size',
    ]);
    expect(expectFail(id, container({ logOpts: { 'max-size': 'lots' } }), 'logOpts["max-size"]')).toEqual([
      'has a max-size the engine cannot parse',
    ]);
  });
  it('is unknown when the options or the driver are unknown', () => {
    expectUnknown(id, container({ logOpts: UNKNOWN }), 'logOpts');
    expectUnknown(id, container({ logDriver: UNKNOWN }), 'logDriver');
  });
});

describe('init-process', () => {
  const id = 'init-process';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when init is false or absent', () => {
    expectFail(id, container({ init: false }), 'init');
    expectFail(id, container({ init: undefined }), 'init');
  });
  it('is unknown when init is unknown', () => expectUnknown(id, container({ init: UNKNOWN }), 'init'));
});

describe('runtime-allowlist', () => {
  const id = 'runtime-allowlist';
  it.each([undefined, 'runc', 'runsc', 'kata-qemu', 'io.containerd.kata.v2', 'sysbox-runc'])(
    'passes runtime %s',
    (runtime) => expectPass(id, container({ runtime })),
  );
  it('fails for a runtime outside the allowlist, without echoing it', () => {
    const [msg] = expectFail(id, container({ runtime: 'my-homemade-runtime' }), 'runtime');
    expect(msg).not.toContain('homemade');
  });
  it('is unknown when the runtime is unknown', () =>
    expectUnknown(id, container({ runtime: UNKNOWN }), 'runtime'));
});

describe('runtime rules: the rarer inputs', () => {
  it('healthcheck: a health check that is not an object is unknown; test words are trimmed', () => {
    expectUnknown('healthcheck', container({ healthcheck: 'CMD true' as never }), 'healthcheck');
    expectFail('healthcheck', container({ healthcheck: { test: [' none '] } }), 'healthcheck.test[0]');
    expectFail('healthcheck', container({ healthcheck: { test: [' cmd-shell '] } }), 'healthcheck.test');
    // A single word that only contains CMD is a command (a shell-form test), not an empty CMD.
    expectPass('healthcheck', container({ healthcheck: { test: ['XCMD'] } }));
    expectPass('healthcheck', container({ healthcheck: { test: ['CMDX'] } }));
  });
  it('image-digest-pinned: an image not given here is unknown, saying so; references are trimmed', () => {
    const out = outcomes('image-digest-pinned', container({ image: undefined }));
    expect(out).toEqual([{ status: 'unknown', path: 'image', message: 'the image is not given here' }]);
    expectPass(
      'image-digest-pinned',
      container({ image: ` registry.example/web@sha256:${'a'.repeat(64)} ` }),
    );
  });
  it('init-process: a resource type that cannot run an init says so', () => {
    const [msg] = expectFail('init-process', container({}, ['init']), 'init');
    expect(msg).toMatch(/^a swarm service cannot set an init process/);
  });
  it('isolated-network: a networkMode naming the default bridge is read trimmed and case-insensitively', () =>
    void expectFail('isolated-network', container({ networkMode: ' Bridge ', networks: [] }), 'networkMode'));
  it('capability-allowlist: an added capability that is not known yet is unknown at its index', () =>
    expectUnknown('capability-allowlist', container({ capAdd: ['NET_BIND_SERVICE', UNKNOWN] }), 'capAdd[1]'));
});
