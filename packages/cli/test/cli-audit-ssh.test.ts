import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { bulkhead, tempDir } from './support/cli.js';
import { docker, engineAvailable, TEST_IMAGE } from './support/engine.js';

// Debian's openssh-server (scripts/sshd-install.sh; .ci/run installs it). This test starts its own
// sshd on a loopback port with keys of its own, and stops it by pid.
const SSHD = '/usr/sbin/sshd';
const hasSshd = existsSync(SSHD);
if (!hasSshd) {
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${SSHD} is missing (run scripts/sshd-install.sh)`);
  console.warn(`SKIPPING the ssh:// audit test: no ${SSHD} (install it with scripts/sshd-install.sh)`);
}
const hasEngine = engineAvailable();
const prefix = `fleet-drift-ssh-${process.pid}`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * Starts an sshd of this test's own on a free loopback port, with a host key and a client key in
 * `d`, `known_hosts` listing its key and `wrong_known_hosts` another; `extra` is added to its
 * config. Stopped by the caller, by pid.
 */
async function startSshd(d: string, extra = ''): Promise<{ sshd: ChildProcess; port: number }> {
  for (const k of ['host_key', 'client']) {
    if (!existsSync(path.join(d, k)))
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(d, k)], { stdio: 'ignore' });
  }
  writeFileSync(path.join(d, 'authorized_keys'), readFileSync(path.join(d, 'client.pub')));
  const port = await freePort();
  const env = process.env.DOCKER_HOST ? `SetEnv DOCKER_HOST=${process.env.DOCKER_HOST}\n` : '';
  const config = path.join(d, `sshd_config_${port}`);
  writeFileSync(
    config,
    `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${d}/host_key\nPidFile ${d}/sshd_${port}.pid\n` +
      `AuthorizedKeysFile ${d}/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n` +
      `PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n${env}${extra}`,
  );
  mkdirSync('/run/sshd', { recursive: true });
  const sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: 'ignore' });
  const [type, key] = readFileSync(path.join(d, 'host_key.pub'), 'utf8').split(' ');
  writeFileSync(path.join(d, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
  // A known_hosts that lists another key for the same host: the connection must be refused.
  const [, other] = readFileSync(path.join(d, 'client.pub'), 'utf8').split(' ');
  writeFileSync(path.join(d, 'wrong_known_hosts'), `[127.0.0.1]:${port} ${type} ${other}\n`);
  for (let i = 0; i < 40; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c = net
        .connect(port, '127.0.0.1', () => c.end(() => resolve(true)))
        .on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { sshd, port };
}

const stopSshd = (sshd: ChildProcess | undefined) => {
  if (sshd?.pid !== undefined && sshd.exitCode === null) process.kill(sshd.pid, 'SIGTERM');
};

(hasSshd && hasEngine ? describe : describe.skip)(
  'bulkhead audit --hosts-file with ssh:// (a local sshd)',
  () => {
    let tmp: { dir: string; cleanup: () => void };
    let sshd: ChildProcess;
    let port: number;
    beforeAll(async () => {
      tmp = tempDir();
      ({ sshd, port } = await startSshd(tmp.dir));
      docker(['run', '-d', '--name', `${prefix}-c`, '--network', 'none', TEST_IMAGE, 'sleep', '120']);
    }, 60_000);
    afterAll(() => {
      stopSshd(sshd);
      docker(['rm', '-f', `${prefix}-c`]);
      tmp.cleanup();
    });

    it('audits the engine over ssh, and refuses a host whose key is not the one in known_hosts', async () => {
      const url = `ssh://root@127.0.0.1:${port}`;
      const file = path.join(tmp.dir, 'hosts.yaml');
      writeFileSync(
        file,
        `- { name: over-ssh, host: "${url}", identityFile: client, knownHosts: known_hosts }\n` +
          `- { name: wrong-key, host: "${url}", identityFile: client, knownHosts: wrong_known_hosts }\n`,
      );
      const r = await bulkhead([
        'audit',
        '--hosts-file',
        file,
        '--filter',
        `name=${prefix}`,
        '-f',
        'json',
        '--timeout',
        '20',
      ]);
      expect(r.stderr).toBe('1 of 2 engines could not be audited (see the report)\n');
      expect(r.code).toBe(4);
      const doc = JSON.parse(r.stdout) as {
        engines: {
          name: string;
          status: string;
          error: string | null;
          findings?: { resource: { name: string } }[];
        }[];
      };
      const by = new Map(doc.engines.map((e) => [e.name, e]));
      expect(by.get('over-ssh')?.status).toBe('audited');
      expect(new Set(by.get('over-ssh')?.findings?.map((f) => f.resource.name))).toEqual(
        new Set([`${prefix}-c`]),
      );
      expect(by.get('wrong-key')).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/verification failed/),
      });
    });
  },
);

(hasSshd ? describe : describe.skip)(
  'bulkhead audit --host ssh:// against an engine that answers for ever',
  () => {
    let tmp: { dir: string; cleanup: () => void };
    let sshd: ChildProcess | undefined;
    let port: number;
    beforeAll(async () => {
      tmp = tempDir();
      // Whatever is asked (`docker system dial-stdio`), the "engine" reads the request line and
      // answers with a body that never ends.
      const flood = path.join(tmp.dir, 'flood.sh');
      writeFileSync(
        flood,
        "#!/bin/sh\nread -r line\nprintf 'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n\\r\\n['\nexec tr '\\000' ' ' < /dev/zero\n",
        { mode: 0o755 },
      );
      ({ sshd, port } = await startSshd(tmp.dir, `ForceCommand ${flood}\n`));
    }, 60_000);
    afterAll(() => {
      stopSshd(sshd);
      tmp.cleanup();
    });

    it('stops reading after 64 MiB on one request: the engine is reported failed, exit 3', async () => {
      const file = path.join(tmp.dir, 'hosts.yaml');
      writeFileSync(
        file,
        `- { name: flood, host: "ssh://root@127.0.0.1:${port}", identityFile: client, knownHosts: known_hosts }\n`,
      );
      const r = await bulkhead(['audit', '--hosts-file', file, '--timeout', '60', '-f', 'json'], {
        timeoutMs: 50_000,
      });
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout) as { engines: { status: string; error: string | null }[] };
      expect(doc.engines[0]).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/sent more than 64 MiB for one request; bulkhead stopped reading/),
      });
    }, 60_000);
  },
);
