import { type SeccompProfile, seccompSecurityOpt } from '@bulkhead/core';
import type Dockerode from 'dockerode';
import { engineCall } from '../lib/engine.js';
import { EXERCISE_PATH, type ResolvedUser } from './bundle.js';
import { profileAllows } from './profile.js';
import type { RunEnd } from './trace.js';

/** A call outside a profile, made by a busybox applet, that must fail with EPERM. */
export interface Probe {
  /** The command run in the image. */
  cmd: string[];
  /** The syscalls (any of them) the command needs for its one action. */
  calls: string[];
}

/** Probes tried in order; the first whose calls the profile does not allow is used. */
export const PROBES: readonly Probe[] = [
  { cmd: ['mkdir', '/tmp/bulkhead-probe'], calls: ['mkdir', 'mkdirat'] },
  { cmd: ['nc', '-l', '-p', '9'], calls: ['socket'] },
  { cmd: ['ln', '-s', '/', '/tmp/bulkhead-probe'], calls: ['symlink', 'symlinkat'] },
  { cmd: ['rmdir', '/tmp/bulkhead-probe'], calls: ['rmdir', 'unlinkat'] },
];

/** The outcome of `--verify`. */
export interface VerifyResult {
  /** The workload (or exercise) under runc with the learned profile. */
  workload: RunEnd & { ok: boolean };
  /** The out-of-profile probe, when one applies. */
  probe?: RunEnd & { cmd: string[]; calls: string[]; eperm: boolean };
  /** Why no probe ran. */
  probeSkipped?: string;
}

/** Picks the first probe none of whose calls the profile allows. */
export function pickProbe(profile: SeccompProfile): Probe | undefined {
  const allowed = new Set(profileAllows(profile));
  return PROBES.find((p) => p.calls.every((c) => !allowed.has(c)));
}

function tarOne(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (s: string, off: number, len: number) => header.write(s, off, len, 'utf8');
  field(name, 0, 100);
  field('0000755\0', 100, 8);
  field('0000000\0', 108, 8);
  field('0000000\0', 116, 8);
  field(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  field(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    12,
  );
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar\0', 257, 6);
  field('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/**
 * Runs `cmd` in `image` under runc with the profile inline (`seccomp=<json>`), `--cap-drop ALL`,
 * no-new-privileges, no network and the learned user, for at most `durationMs`; the container is
 * always removed.
 */
export async function runUnderProfile(
  docker: Dockerode,
  options: {
    image: string;
    cmd: string[];
    entrypoint?: string[];
    env: string[];
    cwd: string;
    user: ResolvedUser;
    profile: SeccompProfile;
    durationMs: number;
    exercise?: Buffer;
    name: string;
  },
): Promise<RunEnd> {
  const container = await engineCall(() =>
    docker.createContainer({
      name: options.name,
      Image: options.image,
      Entrypoint: options.entrypoint ?? [],
      Cmd: options.cmd,
      Env: options.env,
      WorkingDir: options.cwd,
      User: `${options.user.uid}:${options.user.gid}`,
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: [seccompSecurityOpt(options.profile), 'no-new-privileges:true'],
        Tmpfs: { '/tmp': 'mode=1777' },
        Runtime: 'runc',
      },
    }),
  );
  const start = Date.now();
  try {
    if (options.exercise) {
      const tar = tarOne(EXERCISE_PATH.slice(1), options.exercise);
      await engineCall(() => container.putArchive(tar, { path: '/' }));
    }
    await engineCall(() => container.start());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.durationMs);
    });
    const waited = await Promise.race([container.wait() as Promise<{ StatusCode: number }>, timeout]);
    clearTimeout(timer);
    const ms = Date.now() - start;
    if (waited === 'timeout') await container.kill().catch(() => undefined);
    const logs = (await container
      .logs({ stdout: true, stderr: true, follow: false })
      .catch(() => Buffer.alloc(0))) as Buffer;
    return {
      exitCode: waited === 'timeout' ? null : waited.StatusCode,
      timedOut: waited === 'timeout',
      ms,
      output: demux(logs).split('\n').slice(-20).join('\n').trim(),
    };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Strips the Engine API's 8-byte stream headers from non-TTY logs. */
function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return Buffer.concat(parts).toString('utf8');
}
