import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { composeProjectName, fromCompose } from '../../src/adapters/compose.js';
import { fromDockerInspect } from '../../src/adapters/inspect.js';
import { evaluate, InputError } from '../../src/index.js';
import type { ContainerSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';

const NO_ENV = { env: {} };

function one(src: string, options: Parameters<typeof fromCompose>[2] = NO_ENV): ContainerSpec {
  const c = fromCompose(src, 'p/compose.yaml', options).containers[0];
  if (!c) throw new Error('no service');
  return c;
}

/** The outcomes of one rule on a compose text, as `status path` strings. */
function outcomes(src: string, rule: string): string[] {
  const set = fromCompose(src, 'p/compose.yaml', NO_ENV);
  return evaluate(set, { only: [rule] }).findings.map((f) => `${f.status} ${f.path}`);
}

function refusal(src: string): string {
  try {
    fromCompose(src, 'p/compose.yaml', NO_ENV);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('composeProjectName', () => {
  it('takes -p, then COMPOSE_PROJECT_NAME, then the top-level name:, then the directory', () => {
    const file = '/srv/My Shop!/compose.yaml';
    const env = { COMPOSE_PROJECT_NAME: 'fromenv' };
    expect(composeProjectName({ file, name: 'Named', env, projectName: 'cli' })).toBe('cli');
    expect(composeProjectName({ file, name: 'Named', env })).toBe('fromenv');
    expect(composeProjectName({ file, name: 'Named', env: {} })).toBe('named');
    expect(composeProjectName({ file, env: {} })).toBe('myshop');
  });

  it("normalizes names from the file and the directory as compose-go's NormalizeProjectName does", () => {
    expect(composeProjectName({ file: 'x.yaml', name: '__My.App-2', env: {} })).toBe('myapp-2');
    expect(composeProjectName({ file: '/a/_-Web_Stack/c.yml', env: {} })).toBe('web_stack');
    expect(composeProjectName({ file: '/a/b/../proj/c.yml', env: {} })).toBe('proj');
    expect(composeProjectName({ file: 'C:\\work\\Api\\c.yml', env: {} })).toBe('api');
    // A name that normalizes to nothing falls back to the directory, as compose's does.
    expect(composeProjectName({ file: '/a/dir/c.yml', name: '!!!', env: {} })).toBe('dir');
  });

  it('refuses an explicit name that is not valid, and a directory that yields no name', () => {
    expect(() => composeProjectName({ file: 'c.yml', env: { COMPOSE_PROJECT_NAME: 'My App' } })).toThrow(
      /COMPOSE_PROJECT_NAME is not valid/,
    );
    expect(() => composeProjectName({ file: 'c.yml', projectName: '-x', env: {} })).toThrow(
      /-p is not valid/,
    );
    expect(() => composeProjectName({ file: '/!!!/c.yml', env: {} })).toThrow(/no project name/);
  });

  it('fromCompose names the project from the interpolated name:, and COMPOSE_PROJECT_NAME from the environment or .env', () => {
    const net = (src: string, options: Parameters<typeof fromCompose>[2]) =>
      fromCompose(src, '/proj/dir/compose.yaml', options).containers[0]?.networks;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
    const src = 'name: ${APP}-stack\nservices:\n  a:\n    image: x\n';
    expect(net(src, { environment: { APP: 'Shop' } })).toEqual([
      { name: 'shop-stack_default', origin: 'services.a' },
    ]);
    // The loader reads a value with an unset variable as unknown: the directory names the project.
    expect(net(src, {})).toEqual([{ name: 'dir_default', origin: 'services.a' }]);
    const dotenv = (f: string) =>
      f === '/proj/dir/.env' ? 'COMPOSE_PROJECT_NAME=fromdotenv\nAPP=x\n' : undefined;
    expect(net(src, { readFile: dotenv })).toEqual([{ name: 'fromdotenv_default', origin: 'services.a' }]);
    // The environment wins over .env; -p wins over both.
    expect(net(src, { readFile: dotenv, environment: { COMPOSE_PROJECT_NAME: 'fromenv' } })).toEqual([
      { name: 'fromenv_default', origin: 'services.a' },
    ]);
    expect(net(src, { readFile: dotenv, projectName: 'cli' })).toEqual([
      { name: 'cli_default', origin: 'services.a' },
    ]);
  });
});

describe("compose networks: the project's own default network, not Docker's bridge", () => {
  const ordinary = join(__dirname, '../conformance/model/ordinary/compose.yaml');

  it('an ordinary web + app + db + cache file without networks gets no isolated-network finding', () => {
    const set = fromCompose(readFileSync(ordinary, 'utf8'), ordinary, NO_ENV);
    expect(set.containers.map((c) => c.networks)).toEqual(
      ['web', 'app', 'db', 'cache'].map((s) => [{ name: 'ordinary_default', origin: `services.${s}` }]),
    );
    expect(set.networks.map((n) => [n.source.name, n.name])).toEqual([['default', 'ordinary_default']]);
    const report = evaluate(set, {});
    expect(report.findings.filter((f) => f.ruleId === 'isolated-network')).toEqual([]);
  });

  it('fails network_mode: bridge and an external network named bridge', () => {
    expect(outcomes('services:\n  a:\n    network_mode: bridge\n', 'isolated-network')).toEqual([
      'fail services.a.network_mode',
    ]);
    const external =
      'services:\n  a:\n    networks: [x]\nnetworks:\n  x:\n    external: true\n    name: bridge\n';
    expect(outcomes(external, 'isolated-network')).toEqual(['fail services.a.networks[0]']);
    expect(outcomes('name: p\nservices:\n  a:\n    image: x\n', 'isolated-network')).toEqual([]);
  });

  it('keeps failing docker inspect containers on the default bridge (`bridge`, `default`)', () => {
    for (const [mode, net] of [
      ['default', 'bridge'],
      ['bridge', 'bridge'],
    ]) {
      const set = fromDockerInspect([
        {
          Id: 'a'.repeat(64),
          Name: '/web',
          Config: { Image: 'x' },
          HostConfig: { NetworkMode: mode },
          NetworkSettings: { Networks: { [net as string]: {} } },
        },
      ]);
      const f = evaluate(set, { only: ['isolated-network'] }).findings.map((x) => x.status);
      expect([mode, f]).toEqual([mode, ['fail']]);
    }
  });

  it('names networks as the engine does: <project>_<key>, name:, or the external name', () => {
    const set = fromCompose(
      'name: shop\nservices:\n  a:\n    networks: [front, ext, named]\nnetworks:\n  front: {}\n  ext: {external: true}\n  named: {name: custom}\n',
      'c.yaml',
      NO_ENV,
    );
    expect(set.containers[0]?.networks).toEqual([
      { name: 'shop_front', origin: 'services.a.networks[0]' },
      { name: 'ext', origin: 'services.a.networks[1]' },
      { name: 'custom', origin: 'services.a.networks[2]' },
    ]);
  });

  it('keeps the stack rules joined up on the renamed networks', () => {
    const src =
      'name: s\nservices:\n  web:\n    ports: ["127.0.0.1:80:80"]\n    depends_on: [api]\n    networks: [front]\n' +
      '  api:\n    networks: [front, back]\n  db:\n    networks: [back]\n' +
      'networks:\n  front: {}\n  back: {internal: true, driver_opts: {com.docker.network.bridge.enable_icc: "false"}}\n';
    // api is a backend on the non-internal `front`; db only on the internal `back`.
    expect(outcomes(src, 'backend-on-internal-network')).toEqual(['fail services.api.networks[0]']);
    // web and api are linked; api and db share `back` without a link (each side is reported).
    expect(outcomes(src, 'shared-network-needs-link')).toEqual([
      'fail services.api.networks[1]',
      'fail services.db.networks[0]',
    ]);
    expect(outcomes(src, 'network-internal')).toEqual(['fail networks.front.internal']);
    expect(outcomes(src, 'network-icc-disabled')).toEqual(['fail networks.front.driver_opts']);
  });

  it('reads a network whose name is a variable as unknown, not as undeclared', () => {
    const set = fromCompose(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      'services:\n  a:\n    networks: [edge]\nnetworks:\n  edge:\n    external: true\n    name: ${EDGE_NET}\n',
      'c.yaml',
      NO_ENV,
    );
    expect(set.containers[0]?.networks).toEqual([{ name: UNKNOWN, origin: 'services.a.networks[0]' }]);
  });

  it("treats network_mode: service:<name> as sharing that service's network stack, not as a network", () => {
    const src =
      'services:\n  vpn:\n    networks: [edge]\n  app:\n    network_mode: "service:vpn"\nnetworks:\n  edge: {}\n';
    expect(outcomes(src, 'shared-network-needs-link')).toEqual([]);
    expect(outcomes(src, 'backend-on-internal-network')).toEqual(['fail services.vpn.networks[0]']);
  });

  it('refuses a service network the file does not declare, and network_mode with networks', () => {
    expect(refusal('services:\n  a:\n    networks: [nope]\n')).toMatch(
      /^p\/compose\.yaml:3:16: services\.a\.networks\[0\]: names a network the top-level `networks:` does not declare/,
    );
    expect(refusal('services:\n  a:\n    network_mode: host\n    networks: [default]\n')).toMatch(
      /services\.a\.networks: `network_mode` and `networks` cannot both be set/,
    );
  });
});

describe('compose named volumes that bind a host path', () => {
  const withVolume = (opts: string, mount = 'conf:/c') =>
    `services:\n  a:\n    volumes: ["${mount}"]\nvolumes:\n  conf:\n    driver: local\n    driver_opts:\n${opts}`;
  const bindEtc = '      type: none\n      o: bind\n      device: /etc\n';

  it('reads the mount as a bind of the device path', () => {
    expect(one(withVolume(bindEtc)).mounts).toEqual([
      { type: 'bind', source: '/etc', target: '/c', origin: 'services.a.volumes[0]' },
    ]);
    expect(one(withVolume('      type: none\n      o: rbind,ro\n      device: /srv\n')).mounts).toEqual([
      { type: 'bind', source: '/srv', target: '/c', readOnly: true, origin: 'services.a.volumes[0]' },
    ]);
  });

  it('is judged by every mount rule', () => {
    expect(outcomes(withVolume(bindEtc), 'no-sensitive-mounts')).toEqual([
      'fail services.a.volumes[0].source',
    ]);
    expect(outcomes(withVolume(bindEtc), 'bind-mounts-read-only')).toEqual([
      'fail services.a.volumes[0].readOnly',
    ]);
    expect(outcomes(withVolume(bindEtc, 'conf:/c:ro'), 'bind-mounts-read-only')).toEqual([]);
    const shared = withVolume('      type: none\n      o: rbind,rshared\n      device: /srv/data\n');
    expect(outcomes(shared, 'no-shared-propagation')).toEqual(['fail services.a.volumes[0].propagation']);
    const sock = withVolume('      type: none\n      o: bind\n      device: /var/run/docker.sock\n');
    expect(outcomes(sock, 'no-docker-socket')).toEqual(['fail services.a.volumes[0].source']);
  });

  it('leaves plain named volumes and other drivers as volumes', () => {
    expect(one(withVolume('      size: 10G\n')).mounts).toMatchObject([{ type: 'volume', source: 'conf' }]);
    expect(one(`${withVolume(bindEtc)}`.replace('driver: local', 'driver: nfs')).mounts).toMatchObject([
      { type: 'volume', source: 'conf' },
    ]);
  });

  it('reports an external volume as unknown, saying its driver is set outside the file', () => {
    const src = 'services:\n  a:\n    volumes: ["data:/d"]\nvolumes:\n  data:\n    external: true\n';
    const set = fromCompose(src, 'c.yaml', NO_ENV);
    const f = evaluate(set, { only: ['no-sensitive-mounts'] }).findings;
    expect(f.map((x) => [x.status, x.path, x.message])).toEqual([
      [
        'unknown',
        'services.a.volumes[0]',
        'mounts the external volume "data": its driver and options are set outside this file',
      ],
    ]);
  });

  it('refuses a service volume the file does not declare', () => {
    expect(refusal('services:\n  a:\n    volumes: ["data:/d"]\n')).toMatch(
      /services\.a\.volumes\[0\]\.source: names a volume the top-level `volumes:` does not declare/,
    );
  });
});

describe('compose deploy: what Docker Compose applies to a plain container', () => {
  it('deploy limits override mem_limit, cpus and pids_limit unless they are zero', () => {
    const s = one(
      'services:\n  a:\n    mem_limit: 1g\n    cpus: 2\n    pids_limit: 500\n    deploy:\n      resources:\n        limits:\n          memory: 64m\n          cpus: "0.25"\n          pids: 0\n',
    );
    expect([s.memory, s.nanoCpus, s.pidsLimit]).toEqual([64 * 1024 * 1024, 250_000_000, 500]);
  });

  it('restart_policy replaces restart:, with compose-v2 condition names', () => {
    const r = (policy: string) =>
      one(`services:\n  a:\n    restart: always\n    deploy:\n      restart_policy:\n${policy}`).restart;
    expect(r('        condition: on-failure\n        max_attempts: 3\n')).toEqual({
      policy: 'on-failure',
      maxRetries: 3,
    });
    expect(r('        condition: any\n')).toEqual({ policy: 'always' });
    expect(r('        condition: none\n')).toEqual({ policy: 'no' });
    expect(r('        max_attempts: 3\n')).toEqual({ policy: 'no', maxRetries: 3 });
  });

  it('GPU reservations become a device request; swarm-only keys are not read', () => {
    const s = one(
      'services:\n  a:\n    deploy:\n      mode: global\n      replicas: 3\n      labels: {x: y}\n      placement: {constraints: [node.role==manager]}\n' +
        '      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: 1\n',
    );
    expect(s.gpus).toBe('1');
  });
});

describe('compose healthcheck', () => {
  const hc = (body: string) => outcomes(`services:\n  a:\n    healthcheck:\n${body}`, 'healthcheck');

  it('reads {disable: false} and a test-less block as the image health check, not as a check without a test', () => {
    expect(one('services:\n  a:\n    healthcheck:\n      disable: false\n').healthcheck).toBeUndefined();
    expect(hc('      disable: false\n')).toEqual(hc('      interval: 10s\n'));
    expect(hc('      disable: false\n')).toEqual(outcomes('services:\n  a:\n    image: x\n', 'healthcheck'));
  });

  it('still fails disable: true and a NONE test', () => {
    expect(hc('      disable: true\n')).toEqual(['fail services.a.healthcheck.disabled']);
    expect(hc('      test: ["NONE"]\n')).toEqual(['fail services.a.healthcheck.disabled']);
  });
});

// ---- fail closed on values (issue 21 item 5) ----

describe('compose values: compose-go conversions, or an input error', () => {
  it.each([
    ['yes', true],
    ['"on"', true],
    ['Y', true],
    ['TRUE', true],
    ['"off"', false],
    ['No', false],
  ])('privileged: %s is %s, as compose-go toBoolean reads it', (text, want) => {
    expect(one(`services:\n  a:\n    privileged: ${text}\n`).privileged).toBe(want);
  });

  it.each([['1'], ['"1"'], ['[true]'], ['{x: 1}'], ['maybe']])(
    'privileged: %s is refused with the field path and the fix, never the value',
    (text) => {
      const msg = refusal(`services:\n  a:\n    privileged: ${text}\n`);
      expect(msg).toBe('p/compose.yaml:3:5: services.a.privileged: expected true or false');
    },
  );

  it('reads a value with an unset variable as unknown (not refused), and a default as its value', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
    const s = one('services:\n  a:\n    privileged: ${PRIV}\n    pids_limit: "${PIDS:-100}"\n');
    expect([s.privileged, s.pidsLimit]).toEqual([UNKNOWN, 100]);
  });

  it('reads an escaped `$$` reference as literal text, as Docker Compose does, not as an unknown variable', () => {
    const s = one(
      'name: $${P}\nservices:\n  a:\n    image: "app:$${TAG}"\n    user: "$${UID}"\n    privileged: false\n',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
    expect([s.image, s.user, s.privileged]).toEqual(['app:${TAG}', '${UID}', false]);
    expect(s.source.unknownReasons).toBeUndefined();
  });

  it('reads user and volume sources that hold a variable as unknown, so they cannot pass', () => {
    const src =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      'services:\n  a:\n    user: "${APP_UID}"\n    volumes: ["${DATA}:/data"]\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n';
    const s = one(src);
    expect([s.user, s.mounts]).toEqual([
      UNKNOWN,
      // The loader makes the whole value unknown: `:/data` is no mount compose would make either.
      [
        {
          type: UNKNOWN,
          source: UNKNOWN,
          target: UNKNOWN,
          readOnly: UNKNOWN,
          origin: 'services.a.volumes[0]',
        },
      ],
    ]);
    expect(outcomes(src, 'non-root-user')).toEqual(['unknown services.a.user']);
    expect(outcomes(src, 'no-sensitive-mounts')).toEqual(['unknown services.a.volumes[0]']);
    // The loader reads an unset variable as unknown (with its reason); a secret-named variable
    // with an unknown value is unknown to no-secrets-in-env, never a pass.
    expect(outcomes(src, 'no-secrets-in-env')).toEqual(['unknown services.a.environment.DB_PASSWORD.value']);
  });

  it.each([
    ['cap_drop: ALL', 'services.a.cap_drop: expected a list of strings'],
    ['cap_add: [1]', 'services.a.cap_add[0]: expected a string'],
    ['pids_limit: 1.5', 'services.a.pids_limit: expected a whole number'],
    ['mem_limit: lots', 'services.a.mem_limit: expected a size such as 512m'],
    ['cpus: [1]', 'services.a.cpus: expected a number of CPUs such as 0.5'],
    ['ports: ["80:x"]', 'services.a.ports[0]: expected a port such as'],
    ['volumes: [5]', 'services.a.volumes[0]: expected `source:target[:mode]`'],
    ['volumes: [{type: weird, target: /x}]', 'services.a.volumes[0].type: expected one of'],
    ['user: [0]', 'services.a.user: expected a string'],
    ['security_opt: {a: b}', 'services.a.security_opt: expected a list of strings'],
    ['read_only: 0', 'services.a.read_only: expected true or false'],
    ['environment: 5', 'services.a.environment: expected a mapping or a list'],
    ['ulimits: {nproc: lots}', 'services.a.ulimits.nproc: expected a whole number'],
    ['healthcheck: {disable: 1}', 'services.a.healthcheck.disable: expected true or false'],
    [
      'deploy: {resources: {limits: {memory: [1]}}}',
      'services.a.deploy.resources.limits.memory: expected a size',
    ],
  ])('refuses %s', (setting, message) => {
    expect(refusal(`services:\n  a:\n    ${setting}\n`)).toContain(message);
  });

  it('refuses an unparsable top-level network setting', () => {
    expect(refusal('services:\n  a:\n    networks: [b]\nnetworks:\n  b:\n    internal: "1"\n')).toContain(
      'networks.b.internal: expected true or false',
    );
  });
});

/** Values a hostile or careless file might hold where a security setting belongs (no `${VAR}`: those stay unknown). */
const junk = fc.oneof(
  fc.integer(),
  // Not NaN or ±Infinity: JSON.stringify writes them as `null`, which compose reads as unset.
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }).filter((s) => !s.includes('$')),
  fc.constantFrom('yes', 'no', 'on', 'off', 'true', 'false', '1', '0', 'TRUE', '', '-1', '1e3', '0x10'),
  fc.boolean(),
  fc.array(
    fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 6 }).filter((s) => !s.includes('$')),
    ),
    {
      maxLength: 3,
    },
  ),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.oneof(fc.boolean(), fc.integer()), { maxKeys: 2 }),
);

/**
 * Per security field: the rule that judges it and whether a value is one compose reads as the
 * secure setting. Any other value must never pass: it is refused, or the rule fails.
 */
const FIELDS: [string, string, (v: unknown) => boolean][] = [
  [
    'privileged',
    'no-privileged',
    (v) => v === false || (typeof v === 'string' && /^(false|no|n|off)$/i.test(v)),
  ],
  [
    'read_only',
    'read-only-rootfs',
    (v) => v === true || (typeof v === 'string' && /^(true|yes|y|on)$/i.test(v)),
  ],
  ['cap_drop', 'drop-all-capabilities', (v) => Array.isArray(v) && v.some((x) => typeof x === 'string')],
  [
    'pids_limit',
    'pids-limit',
    (v) => (typeof v === 'number' && Number.isInteger(v)) || /^[+-]?\d+$/.test(String(v)),
  ],
  ['mem_limit', 'memory-limit', (v) => typeof v === 'number' || typeof v === 'string'],
  ['security_opt', 'no-new-privileges', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')],
  ['network_mode', 'no-host-network', (v) => ['string', 'number', 'boolean'].includes(typeof v)],
];

describe('compose values: junk in a security field never passes', () => {
  it.each(FIELDS)('%s (judged by %s)', (field, rule, readable) => {
    fc.assert(
      fc.property(junk, (value) => {
        const src = `services:\n  a:\n    ${field}: ${JSON.stringify(value)}\n`;
        let statuses: string[];
        try {
          const set = fromCompose(src, 'c.yaml', NO_ENV);
          statuses = evaluate(set, { only: [rule] }).findings.map((f) => f.status);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).message).toMatch(/^c\.yaml:\d+:\d+: services\.a\./);
          return;
        }
        // Read without error: the value was one compose reads; never unknown, and a pass only
        // for a value compose reads as a setting at all.
        expect(statuses).not.toContain('unknown');
        if (statuses.length === 0) expect(readable(value)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
