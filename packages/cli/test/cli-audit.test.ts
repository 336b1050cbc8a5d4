import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { BIN, bulkhead, expectOneLineError, tempDir } from './support/cli.js';
import { docker, engineAvailable, TEST_IMAGE } from './support/engine.js';

const hasEngine = engineAvailable();
const prefix = `bhcli-${process.pid}-${Date.now() % 1_000_000}`;
const HARD = `${prefix}-hardened`;
const BAD = `${prefix}-insecure`;
/** Rules the insecure container breaks and the hardened one keeps. */
const BROKEN = ['no-new-privileges', 'seccomp-not-unconfined', 'drop-all-capabilities', 'non-root-user'];

interface JsonFinding {
  ruleId: string;
  status: string;
  severity: string;
  resource: { name: string; kind: string };
}

(hasEngine ? describe : describe.skip)('bulkhead audit against the real engine (built binary)', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    tmp = tempDir();
    const run = (flags: string) =>
      docker(['run', '-d', ...flags.split(/\s+/).filter(Boolean), TEST_IMAGE, 'sleep', '300']);
    run(`--name ${HARD} --network none --read-only --cap-drop ALL --security-opt no-new-privileges
      --user 10001:10001 --memory 64m --cpus 0.5 --pids-limit 64 --restart on-failure:3 --init --health-cmd true
      --tmpfs /tmp:size=1m,noexec,nosuid,nodev,uid=10001 --log-opt max-size=1m --log-opt max-file=2
      --ulimit nofile=1024:1024 --ulimit nproc=64:64`);
    run(`--name ${BAD} --network none --cap-add NET_ADMIN --security-opt seccomp=unconfined --user 0
      --label secret-token=CANARY-LABEL-ab12 --env DB_PASSWORD=CANARY-ENV-cd34`);
  }, 60_000);
  afterAll(() => {
    docker(['rm', '-f', HARD, BAD]);
    tmp.cleanup();
  });

  it('finds what the insecure container breaks and little on the hardened one; no secrets printed', async () => {
    const r = await bulkhead(['audit', '--filter', `name=${prefix}`, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/CANARY/);
    const doc = JSON.parse(r.stdout) as { summary: { containers: number }; findings: JsonFinding[] };
    expect(doc.summary.containers).toBe(2);
    const failed = (name: string) =>
      doc.findings.filter((f) => f.status === 'fail' && f.resource.name === name).map((f) => f.ruleId);
    expect(failed(BAD)).toEqual(expect.arrayContaining(BROKEN));
    for (const id of BROKEN) expect(failed(HARD)).not.toContain(id);
    const hardSevere = doc.findings.filter(
      (f) =>
        f.resource.name === HARD &&
        f.status === 'fail' &&
        (f.severity === 'critical' || f.severity === 'high'),
    );
    expect(hardSevere).toEqual([]);
    expect(doc.findings.every((f) => f.resource.kind === 'inspect')).toBe(true);
  });

  it('table output gives the docker run fix; --fail-on none exits 0; stopped containers need --all', async () => {
    const r = await bulkhead(['audit', '--filter', `name=${BAD}`, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fix: .*--security-opt/);
    docker(['stop', '-t', '0', HARD]);
    const running = await bulkhead(['audit', '--filter', `name=${HARD}`, '-f', 'json', '--fail-on', 'none']);
    expect(JSON.parse(running.stdout).summary.containers).toBe(0);
    const all = await bulkhead([
      'audit',
      '--filter',
      `name=${HARD}`,
      '--all',
      '-f',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(JSON.parse(all.stdout).summary.containers).toBe(1);
  });

  it('validate reads `docker inspect` JSON captured from the engine like audit does', async () => {
    const file = path.join(tmp.dir, 'inspect.json');
    writeFileSync(file, docker(['inspect', BAD]));
    const r = await bulkhead(['validate', file, '-f', 'json']);
    const doc = JSON.parse(r.stdout) as { inputs: { kind: string }[]; findings: JsonFinding[] };
    expect(doc.inputs[0]!.kind).toBe('inspect');
    const failed = doc.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId);
    expect(failed).toEqual(expect.arrayContaining(BROKEN));
    expect(r.stdout).not.toMatch(/CANARY/);
    expect(r.code).toBe(1);
  });

  it('shows progress on a terminal when there are many containers, and never when stderr is piped', async () => {
    const names = Array.from({ length: 21 }, (_, i) => `${prefix}-many-${i}`);
    try {
      // Created, not started: --all includes them, and creating is cheaper than running.
      for (const n of names) docker(['create', '--name', n, '--network', 'none', TEST_IMAGE, 'true']);
      const cmd = `${process.execPath} ${BIN} audit --all --filter name=${prefix}-many- --fail-on none`;
      const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, TERM: 'xterm' },
      });
      expect(tty.stdout).toContain('Inspecting 21 containers');
      const piped = await bulkhead([
        'audit',
        '--all',
        '--filter',
        `name=${prefix}-many-`,
        '--fail-on',
        'none',
      ]);
      expect(piped.code).toBe(0);
      expect(piped.stderr).toBe('');
      expect(piped.stdout).toMatch(/21 containers/);
    } finally {
      docker(['rm', '-f', ...names]);
    }
  });

  it('a bad --filter exits 2', async () => {
    const r = await bulkhead(['audit', '--filter', 'colour=blue']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /--filter colour=blue: expected key=value with key one of name, label/);
  });
});

/**
 * Runs `use` with a fake engine listening on a unix socket in a temporary directory (`server` is a
 * `net` or `http` server not yet listening), then closes it and removes the directory.
 */
async function withSocket<T>(
  name: string,
  server: net.Server,
  use: (sockPath: string) => Promise<T>,
  onClose?: () => void,
): Promise<T> {
  const tmp = tempDir();
  const sockPath = path.join(tmp.dir, name);
  await new Promise<void>((resolve) => server.listen(sockPath, resolve));
  try {
    return await use(sockPath);
  } finally {
    onClose?.();
    server.close();
    tmp.cleanup();
  }
}

describe('bulkhead audit with no engine (built binary)', () => {
  it('exits 3 with one clear line when the socket is missing or the port is closed', async () => {
    const [sock, tcp] = await Promise.all([
      bulkhead(['audit'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } }),
      bulkhead(['audit'], { env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } }),
    ]);
    expect(sock.code).toBe(3);
    expectOneLineError(
      sock,
      /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock: connection refused/,
    );
    expect(tcp.code).toBe(3);
    expectOneLineError(tcp, /cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1: connection refused/);
  });

  it('exits 3 with one clear line when the socket exists but this user may not use it', () =>
    withSocket(
      'docker.sock',
      net.createServer((s) => s.destroy()),
      async (sockPath) => {
        // Owner bits 0: a non-root user is refused; root is too once it lacks CAP_DAC_OVERRIDE.
        chmodSync(sockPath, 0);
        const asRoot = process.getuid?.() === 0;
        const r = await bulkhead(['audit'], {
          env: { DOCKER_HOST: `unix://${sockPath}` },
          wrap: asRoot ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search'] : undefined,
        });
        expect(r.code).toBe(3);
        expectOneLineError(r, /cannot reach the Docker engine at unix:\/\/.*docker\.sock: permission denied/);
        expect(r.stderr).toMatch(/docker group/);
      },
    ));

  it('exits 3 with one clear line when the engine goes away in the middle of an audit', () => {
    const inspected: string[] = [];
    // Answers the ping and the container list like an engine, then drops every inspect.
    const engine = http.createServer((req, res) => {
      const url = req.url ?? '';
      if (/\/_ping$/.test(url)) {
        res.end('OK');
      } else if (/\/containers\/json/.test(url)) {
        res.setHeader('content-type', 'application/json');
        const list = Array.from({ length: 5 }, (_, i) => ({
          Id: `c${i}`.padEnd(64, '0'),
          Names: [`/dying-${i}`],
        }));
        res.end(JSON.stringify(list));
      } else {
        inspected.push(url);
        req.socket.destroy();
      }
    });
    return withSocket('dying.sock', engine, async (sockPath) => {
      const r = await bulkhead(['audit', '--timeout', '5'], {
        env: { DOCKER_HOST: `unix://${sockPath}` },
        timeoutMs: 30_000,
      });
      expect(inspected.length).toBeGreaterThan(0);
      expect(r.code).toBe(3);
      expectOneLineError(r, /the Docker engine at unix:\/\/.*dying\.sock closed the connection/);
      expect(r.stdout).toBe('');
    });
  });

  it('exits 3 instead of hanging when the engine accepts but never answers', () => {
    const sockets: net.Socket[] = [];
    return withSocket(
      'silent.sock',
      net.createServer((s) => sockets.push(s)),
      async (sockPath) => {
        const started = Date.now();
        const r = await bulkhead(['audit', '--timeout', '1500ms'], {
          env: { DOCKER_HOST: `unix://${sockPath}` },
          timeoutMs: 20_000,
        });
        expect(r.code).toBe(3);
        expectOneLineError(r, /did not answer in time/);
        expect(Date.now() - started).toBeLessThan(15_000);
      },
      () => {
        for (const s of sockets) s.destroy();
      },
    );
  });
});

/** A fake engine on a unix socket: `_ping`, the container list and inspects answered from `answers`. */
function fakeEngine(answers: { list: unknown; inspect: (id: string) => unknown }): http.Server {
  return http.createServer((req, res) => {
    const url = req.url ?? '';
    res.setHeader('content-type', 'application/json');
    if (/\/_ping$/.test(url)) {
      res.setHeader('content-type', 'text/plain');
      res.end('OK');
    } else if (/\/containers\/json/.test(url)) {
      res.end(JSON.stringify(answers.list));
    } else {
      const id = /\/containers\/([^/]+)\/json/.exec(url)?.[1] ?? '';
      res.end(JSON.stringify(answers.inspect(decodeURIComponent(id))));
    }
  });
}

const ID = 'a'.repeat(64);
/** An inspect of a root container without no-new-privileges, carrying `labels`. */
const inspectWith = (labels: Record<string, string>) => ({
  Id: ID,
  Name: '/labelled',
  Config: { User: '', Labels: labels, Image: 'busybox' },
  HostConfig: { Privileged: false, SecurityOpt: null, CapDrop: null, NetworkMode: 'none' },
  NetworkSettings: { Networks: {} },
  State: { Running: true },
});

describe('bulkhead audit against an engine that answers garbage (fail closed)', () => {
  it.each([
    ['a container list that is an object', { message: 'x' }, () => ({})],
    ['a container list that is null', null, () => ({})],
    ['a list entry without an id', [{ Names: ['/x'] }], () => ({})],
    ['a null inspect', [{ Id: ID }], () => null],
    ['an inspect that is a string', [{ Id: ID }], () => 'garbage'],
    ['an inspect without HostConfig', [{ Id: ID }], () => ({ Id: ID, Config: {} })],
  ])('exits 3 with one line for %s, never "0 containers, clean"', (_what, list, inspect) =>
    withSocket('garbage.sock', fakeEngine({ list, inspect }), async (sockPath) => {
      const r = await bulkhead(['audit', '--timeout', '5'], { env: { DOCKER_HOST: `unix://${sockPath}` } });
      expect(r.code).toBe(3);
      expectOneLineError(r, /gave an answer Bulkhead cannot read/);
      expect(r.stdout).toBe('');
    }),
  );
});

describe('bulkhead audit and exemption labels a container carries (trust model)', () => {
  const labels = {
    'dev.bulkhead.exempt.no-new-privileges': 'the legacy entrypoint needs setuid ping',
    'dev.bulkhead.exempt-expires.no-new-privileges': '2099-01-01',
    'dev.bulkhead.exempt.drop-all-capabilities': 'TODO: write why we keep the capabilities',
  };
  const audit = (args: string[]) =>
    withSocket(
      'labels.sock',
      fakeEngine({ list: [{ Id: ID }], inspect: () => inspectWith(labels) }),
      (sock) => bulkhead(['audit', '--timeout', '5', ...args], { env: { DOCKER_HOST: `unix://${sock}` } }),
    );
  type F = {
    ruleId: string;
    status: string;
    path: string;
    exemption: unknown;
    ignoredExemption: { why: string } | null;
  };
  const byRule = (stdout: string) =>
    Object.fromEntries((JSON.parse(stdout) as { findings: F[] }).findings.map((f) => [f.ruleId, f]));

  it('does not honour a running container’s own exemption label by default, and shows it as ignored', async () => {
    const r = await audit(['--format', 'json']);
    const f = byRule(r.stdout);
    expect(f['no-new-privileges']).toMatchObject({ status: 'fail', exemption: null });
    expect(f['no-new-privileges']!.ignoredExemption).toMatchObject({
      reason: 'the legacy entrypoint needs setuid ping',
      why: expect.stringMatching(/not trusted/),
    });
    expect(r.code).toBe(1);
  });

  it('honours valid labels with --trust-labels, and never a placeholder one, which is a finding', async () => {
    const r = await audit(['--format', 'json', '--trust-labels']);
    const f = byRule(r.stdout);
    expect(f['no-new-privileges']).toMatchObject({ status: 'exempt', ignoredExemption: null });
    expect(f['drop-all-capabilities']).toMatchObject({ status: 'fail' });
    expect(f['drop-all-capabilities']!.ignoredExemption!.why).toMatch(/placeholder/);
    expect(f['exemption-labels-valid']).toMatchObject({
      status: 'fail',
      path: 'Config.Labels["dev.bulkhead.exempt.drop-all-capabilities"]',
    });
  });

  it('shows ignored labels in the table, SARIF and JUnit too', async () => {
    const [table, sarif, junit] = await Promise.all([
      audit([]),
      audit(['--format', 'sarif']),
      audit(['--format', 'junit']),
    ]);
    expect(table.stdout).toMatch(/ignored exemption \(label, until 2099-01-01\): the legacy entrypoint/);
    const results = JSON.parse(sarif.stdout).runs[0].results as {
      ruleId: string;
      properties: Record<string, unknown>;
    }[];
    const nnp = results.find((x) => x.ruleId === 'no-new-privileges')!;
    expect(nnp.properties.ignoredExemption).toMatchObject({ why: expect.stringMatching(/not trusted/) });
    expect(nnp).not.toHaveProperty('suppressions');
    expect(junit.stdout).toMatch(/ignored exemption \(label\): the legacy entrypoint/);
  });

  it('trusts engine labels through the exemptions file’s trustLabels, and enforces its maxExpiryDays', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'exemptions.yaml');
      writeFileSync(file, 'exemptions: []\ntrustLabels: [inspect]\n');
      const f = byRule((await audit(['--format', 'json', '--exemptions', file])).stdout);
      expect(f['no-new-privileges']).toMatchObject({ status: 'exempt' });
      writeFileSync(file, 'exemptions: []\ntrustLabels: [inspect]\nmaxExpiryDays: 365\n');
      const g = byRule((await audit(['--format', 'json', '--exemptions', file])).stdout);
      expect(g['no-new-privileges']).toMatchObject({ status: 'fail' });
      expect(g['no-new-privileges']!.ignoredExemption!.why).toMatch(/more than 365 days away/);
    } finally {
      tmp.cleanup();
    }
  });
});
