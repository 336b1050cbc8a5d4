import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TEST_IMAGE } from './engine.js';

/** A Docker engine of this test's own, beside the machine's. */
export interface ExtraEngine {
  url: string;
  /** Runs `docker -H <this engine> args…`, throwing with its stderr on failure. */
  docker: (args: readonly string[]) => string;
  stop: () => Promise<void>;
}

/**
 * Starts a second `dockerd` with its own data root, exec root (and so its own containerd),
 * pidfile, unix socket, containerd namespace, address pool and bridge (created here, removed by
 * `stop`), no iptables changes, and loads the test image into it. Never `--bridge none`: a dockerd
 * without a bridge deletes docker0, the machine engine's bridge (see scripts/engine-up.sh).
 * `index` (1-9) keeps the bridges and pools of engines started together apart. Resolves to
 * `{ skip }` with a one-line reason when it is not up within `withinMs` (not root, no dockerd…);
 * `stop()` ends it by its pid and removes its directories and bridge.
 */
export async function startExtraEngine(
  name: string,
  index: number,
  withinMs = 60_000,
): Promise<ExtraEngine | { skip: string }> {
  if (process.getuid?.() !== 0) return { skip: 'a second dockerd needs root' };
  const which = spawnSync('sh', ['-c', 'command -v dockerd'], { encoding: 'utf8' });
  if (which.status !== 0) return { skip: 'no dockerd on PATH' };
  const bridge = `bhfd${process.pid % 100_000}x${index}`;
  const ip = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  const made = ip(
    `ip link add ${bridge} type bridge && ip addr add 10.213.${index}.1/24 dev ${bridge} && ip link set ${bridge} up`,
  );
  if (made.status !== 0)
    return { skip: `cannot create a bridge for a second dockerd: ${made.stderr.trim()}` };
  const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
  const sock = path.join(dir, 'docker.sock');
  const log = openSync(path.join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn(
    'dockerd',
    [
      '--data-root',
      path.join(dir, 'data'),
      '--exec-root',
      path.join(dir, 'exec'),
      '--pidfile',
      path.join(dir, 'dockerd.pid'),
      '-H',
      `unix://${sock}`,
      '--bridge',
      bridge,
      '--default-address-pool',
      `base=10.214.${index}.0/24,size=24`,
      '--iptables=false',
      '--ip6tables=false',
      '--containerd-namespace',
      name,
      '--containerd-plugins-namespace',
      `${name}-plugins`,
    ],
    { stdio: ['ignore', log, log] },
  );
  const url = `unix://${sock}`;
  const docker = (args: readonly string[]) => {
    const r = spawnSync('docker', ['-H', url, ...args], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`docker -H ${url} ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const killed = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
    ip(`ip link del ${bridge}`);
  };
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const r = spawnSync('docker', ['-H', url, 'version', '--format', '{{.Server.Version}}'], {
      timeout: 5_000,
    });
    if (r.status === 0) {
      const save = spawnSync(
        'sh',
        ['-c', `docker save "$1" | docker -H "$2" load -q`, 'sh', TEST_IMAGE, url],
        {
          timeout: 60_000,
        },
      );
      if (save.status === 0) return { url, docker, stop };
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = readFileSync(path.join(dir, 'dockerd.log'), 'utf8').trim().split('\n').pop() ?? '';
  await stop();
  return { skip: `a second dockerd did not come up within ${withinMs / 1000} s: ${tail.slice(0, 200)}` };
}
