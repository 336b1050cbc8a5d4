import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { TemplateFile } from './templates.js';

/** Why a project could not be written where asked. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
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
export function checkTarget(target: string, force: boolean): 'absent' | 'empty' | 'non-empty' {
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
 * directory is removed on error and on SIGINT/SIGTERM.
 */
export async function writeProject(
  target: string,
  files: readonly TemplateFile[],
  options: WriteOptions = {},
): Promise<void> {
  const state = checkTarget(target, options.force ?? false);
  const parent = path.dirname(path.resolve(target));
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(path.join(parent, `.${path.basename(target)}.bulkhead-init-`));
  // mkdtemp creates the directory 0700; give the project the permissions a mkdir would.
  chmodSync(staging, 0o777 & ~process.umask());
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const file of files) {
      const dest = path.join(staging, file.path);
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(dest, file.content);
    }
    if (options.delayBeforeCommitMs) await new Promise((r) => setTimeout(r, options.delayBeforeCommitMs));
    if (state === 'non-empty') {
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
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
