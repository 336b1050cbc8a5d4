import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { engineCall } from '../lib/engine.js';
import { EXIT, UserError } from '../lib/exit.js';
import { readInputBytes } from '../lib/files.js';

/** What the learner takes from an image's config. */
export interface ImageConfig {
  /** The image's `User`, as written (`app`, `10001`, `10001:10001`, or empty for root). */
  user: string;
  env: string[];
  workingDir: string;
  entrypoint: string[];
  cmd: string[];
}

/** A user resolved against the image's `/etc/passwd` and `/etc/group`. */
export interface ResolvedUser {
  uid: number;
  gid: number;
}

/** Where the exercise script is placed inside the container (bundle and verify run alike). */
export const EXERCISE_PATH = '/.bulkhead-exercise';

/** Reads an image's config from the engine; a missing image is a usage error (exit 2). */
export async function readImageConfig(docker: Dockerode, ref: string): Promise<ImageConfig> {
  let info: Awaited<ReturnType<Dockerode.Image['inspect']>>;
  try {
    info = await docker.getImage(ref).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      throw new UserError(`image ${ref} is not in the engine`, EXIT.usage, [
        `pull or build it first (docker pull ${ref}), or check --image`,
      ]);
    }
    return engineCall(() => Promise.reject(error));
  }
  const c = (info.Config ?? {}) as {
    User?: string;
    Env?: string[] | null;
    WorkingDir?: string;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
  };
  return {
    user: c.User ?? '',
    env: c.Env ?? [],
    workingDir: c.WorkingDir || '/',
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
  };
}

/**
 * Exports the image's filesystem into `rootfs`: creates a (never started) container, streams its
 * `export` tar through `tar -x`, then removes the container.
 */
export async function exportRootfs(docker: Dockerode, ref: string, rootfs: string): Promise<void> {
  await fs.mkdir(rootfs, { recursive: true });
  const container = await engineCall(() =>
    docker.createContainer({ Image: ref, Cmd: ['/bulkhead-never-started'], NetworkDisabled: true }),
  );
  try {
    const stream = (await engineCall(() => container.export())) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      // As root, keep the image's owners (a non-root service must own what it owns in the image).
      const owners = process.getuid?.() === 0 ? ['--same-owner'] : ['--no-same-owner'];
      const tar = spawn('tar', ['-x', '-C', rootfs, '--numeric-owner', ...owners], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let err = '';
      tar.stderr.on('data', (d) => {
        err += d;
      });
      tar.on('error', (e) =>
        reject(new UserError(`cannot run tar to unpack the image: ${e.message}`, EXIT.environment)),
      );
      tar.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new UserError(`unpacking the image failed: ${err.trim().split('\n')[0]}`, EXIT.environment),
            ),
      );
      stream.on('error', reject);
      stream.pipe(tar.stdin);
    });
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

function lookup(file: string, key: string, field: number): number | undefined {
  for (const line of file.split('\n')) {
    const parts = line.split(':');
    if (parts[0] === key) {
      const n = Number(parts[field]);
      return Number.isInteger(n) ? n : undefined;
    }
  }
  return undefined;
}

/**
 * Resolves an image `User` (`name`, `uid`, `name:group`, `uid:gid`; empty = root) against the
 * unpacked rootfs, as the engine does. An unknown name is a usage error.
 */
export async function resolveUser(rootfs: string, user: string): Promise<ResolvedUser> {
  if (user === '') return { uid: 0, gid: 0 };
  // The image wrote these files: read them as regular files of at most 4 MiB, never through a link
  // (it would point into the host) or from a FIFO or device (it would block or never end).
  const read = async (f: string) => {
    const file = path.join(rootfs, 'etc', f);
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st?.isFile()) return '';
    return (
      await readInputBytes(file, { what: `the image's /etc/${f}`, maxBytes: 4 * 1024 * 1024 })
    ).toString('utf8');
  };
  const [passwd, group] = await Promise.all([read('passwd'), read('group')]);
  const [u = '', g] = user.split(':');
  const uid = /^\d+$/.test(u) ? Number(u) : lookup(passwd, u, 2);
  if (uid === undefined) {
    throw new UserError(`the image's user ${JSON.stringify(u)} is not in its /etc/passwd`, EXIT.usage);
  }
  let gid: number | undefined;
  if (g !== undefined) gid = /^\d+$/.test(g) ? Number(g) : lookup(group, g, 2);
  else {
    const name = /^\d+$/.test(u) ? undefined : u;
    gid = name ? lookup(passwd, name, 3) : undefined;
    if (gid === undefined) {
      for (const line of passwd.split('\n')) {
        const p = line.split(':');
        if (p[2] === String(uid)) gid = Number(p[3]);
      }
    }
    gid ??= uid === 0 ? 0 : uid;
  }
  if (gid === undefined) {
    throw new UserError(`the image's group ${JSON.stringify(g)} is not in its /etc/group`, EXIT.usage);
  }
  return { uid, gid };
}

/** The process an image runs: `--cmd` replaces Cmd (Entrypoint kept), an exercise replaces both. */
export function processArgs(
  image: ImageConfig,
  cmd: readonly string[] | undefined,
  exercise: boolean,
): string[] {
  if (exercise) return ['/bin/sh', EXERCISE_PATH];
  const args = [...image.entrypoint, ...(cmd ?? image.cmd)];
  if (args.length === 0) {
    throw new UserError('the image has no Entrypoint or Cmd to run; pass --cmd or --exercise', EXIT.usage, [
      'pass --cmd or --exercise',
    ]);
  }
  return args;
}

/**
 * An OCI runtime spec (config.json) for the bundle: the image's user, env and cwd, the given
 * process, no capabilities, no_new_privs, a private network namespace (runsc `--network=none`
 * gives loopback only) and the usual /proc, /dev and /tmp mounts.
 */
export function ociSpec(options: {
  args: readonly string[];
  env: readonly string[];
  cwd: string;
  user: ResolvedUser;
  hostname: string;
}): Record<string, unknown> {
  const env = [...options.env];
  if (!env.some((e) => e.startsWith('PATH='))) {
    env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  }
  return {
    ociVersion: '1.0.0',
    process: {
      user: { uid: options.user.uid, gid: options.user.gid },
      args: [...options.args],
      env,
      cwd: options.cwd,
      capabilities: { bounding: [], effective: [], inheritable: [], permitted: [] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: false },
    hostname: options.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
    },
  };
}
