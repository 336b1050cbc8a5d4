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

(hasSshd && hasEngine ? describe : describe.skip)(
  'bulkhead audit --hosts-file with ssh:// (a local sshd)',
  () => {
    let tmp: { dir: string; cleanup: () => void };
    let sshd: ChildProcess;
    let port: number;
    beforeAll(async () => {
      tmp = tempDir();
      const d = tmp.dir;
      for (const k of ['host_key', 'client']) {
        spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(d, k)], {
          stdio: 'ignore',
        });
      }
      writeFileSync(path.join(d, 'authorized_keys'), readFileSync(path.join(d, 'client.pub')));
      port = await freePort();
      const env = process.env.DOCKER_HOST ? `SetEnv DOCKER_HOST=${process.env.DOCKER_HOST}\n` : '';
      writeFileSync(
        path.join(d, 'sshd_config'),
        `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${d}/host_key\nPidFile ${d}/sshd.pid\n` +
          `AuthorizedKeysFile ${d}/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n` +
          `PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n${env}`,
      );
      mkdirSync('/run/sshd', { recursive: true });
      sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(d, 'sshd_config')], { stdio: 'ignore' });
      const [type, key] = readFileSync(path.join(d, 'host_key.pub'), 'utf8').split(' ');
      writeFileSync(path.join(d, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
      // A known_hosts that lists another key for the same host: the connection must be refused.
      const [, other] = readFileSync(path.join(d, 'client.pub'), 'utf8').split(' ');
      writeFileSync(path.join(d, 'wrong_known_hosts'), `[127.0.0.1]:${port} ${type} ${other}\n`);
      for (let i = 0; i < 40; i++) {
        const up = await new Promise<boolean>((resolve) => {
          const s = net
            .connect(port, '127.0.0.1', () => s.end(() => resolve(true)))
            .on('error', () => resolve(false));
        });
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      docker(['run', '-d', '--name', `${prefix}-c`, '--network', 'none', TEST_IMAGE, 'sleep', '120']);
    }, 60_000);
    afterAll(() => {
      if (sshd?.pid !== undefined && sshd.exitCode === null) process.kill(sshd.pid, 'SIGTERM');
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
