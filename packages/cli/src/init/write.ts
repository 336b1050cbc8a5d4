import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { replaceRefusal } from '../lib/output.js';
import { cleanUpOnSignal } from '../lib/signals.js';
import type { TemplateFile } from './templates.js';

/** Why a project could not be written where asked. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

/**
 * Staging directories are named `.bulkhead-init-<pid>-XXXXXX` in the target's parent, so a
 * later run can tell a stale one (its process is gone: killed with SIGKILL, or the machine lost
 * power) from one another run is still using.
 */
const STAGING_MARK = '.bulkhead-init-';

/**
 * Removes staging directories left in `parent` by `init` runs that no longer exist. Only
 * directories (never links) whose name carries a pid with no live process are removed.
 */
function sweepStaging(parent: string): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of entries) {
    const m = /^\.bulkhead-init-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = path.join(parent, name);
    try {
      if (!lstatSync(dir).isDirectory()) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another run swept it first.
    }
  }
  return removed;
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options of {@link writeProject}. */
export interface WriteOptions {
  /** Write into a non-empty directory, replacing files of the same name (others are kept). */
  force?: boolean;
  /** Test hook: wait this long after staging, before moving files into place. */
  delayBeforeCommitMs?: number;
}

/**
 * Checks the target before anything is written: it must not be a file, and must be absent or
 * empty unless `force` is set.
 * @throws {@link TargetError} naming the problem and the fix.
 */
function checkTarget(target: string, force: boolean): 'absent' | 'empty' | 'non-empty' {
  if (!existsSync(target)) return 'absent';
  if (!statSync(target).isDirectory()) {
    throw new TargetError(`${target} exists and is not a directory. Choose another directory.`);
  }
  const entries = readdirSync(target);
  if (entries.length === 0) return 'empty';
  if (!force) {
    throw new TargetError(
      `${target} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). ` +
        'Choose an empty directory, or pass --force to write into it (files with the same names are replaced).',
    );
  }
  return 'non-empty';
}

/**
 * Writes a project so that an interrupted run leaves nothing half-written: every file is staged in
 * a temporary directory next to the target, then the staging directory is renamed into place (or,
 * with `force` into a non-empty directory, each file is renamed over its namesake). The staging
 * directory is removed on error and on SIGHUP/SIGINT/SIGTERM (exit 129/130/143), and stale ones
 * from killed runs are swept first (see {@link sweepStaging}).
 */
export async function writeProject(
  target: string,
  files: readonly TemplateFile[],
  options: WriteOptions = {},
): Promise<void> {
  const state = checkTarget(target, options.force ?? false);
  const parent = path.dirname(path.resolve(target));
  mkdirSync(parent, { recursive: true });
  sweepStaging(parent);
  const staging = mkdtempSync(path.join(parent, `${STAGING_MARK}${process.pid}-`));
  // mkdtemp creates the directory 0700; give the project the permissions a mkdir would.
  chmodSync(staging, 0o777 & ~process.umask());
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  await cleanUpOnSignal(cleanup, async () => {
    try {
      for (const file of files) {
        const dest = path.join(staging, file.path);
        mkdirSync(path.dirname(dest), { recursive: true });
        writeFileSync(dest, file.content);
      }
      if (options.delayBeforeCommitMs) await new Promise((r) => setTimeout(r, options.delayBeforeCommitMs));
      if (state === 'non-empty') {
        // Decide for every file before moving any: the same rule as every --output.
        for (const file of files) {
          const dest = path.join(target, file.path);
          // A directory on the way must be a real one: a link would carry the file out of DIR.
          const parts = file.path.split('/').slice(0, -1);
          for (let i = 1; i <= parts.length; i++) {
            const dir = path.join(target, ...parts.slice(0, i));
            const d = lstatOrUndefined(dir);
            if (d && !d.isDirectory()) {
              throw new TargetError(
                `will not write into ${dir}: it is not a directory (a link or a file). Remove it, or choose another directory.`,
              );
            }
          }
          let st: Stats | undefined;
          try {
            st = lstatSync(dest);
          } catch {
            continue;
          }
          const refusal = replaceRefusal(st);
          if (refusal)
            throw new TargetError(
              `will not replace ${dest}: ${refusal}. Remove it, or choose another directory.`,
            );
        }
        for (const file of files) {
          const dest = path.join(target, file.path);
          mkdirSync(path.dirname(dest), { recursive: true });
          renameSync(path.join(staging, file.path), dest);
        }
        cleanup();
      } else {
        if (state === 'empty') rmdirSync(target);
        renameSync(staging, target);
      }
    } catch (error) {
      cleanup();
      throw error;
    }
  });
}
