import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The built binary, run as a user would: executed itself (its `#!` line), with this Node.js first on PATH. */
export const BIN = path.join(__dirname, '..', '..', 'bin', 'run.js');

if (!existsSync(path.join(__dirname, '..', '..', 'dist', 'commands'))) {
  throw new Error(
    'packages/cli is not built: run `npx tsc -p tsconfig.build.json && node scripts/manifest.mjs` first',
  );
}

/** What a run of the binary produced. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bulkhead args…` as a subprocess. The environment is the test's, minus DEBUG and colour
 * forcing, plus `env`. Rejects only if the process cannot start; a hang fails after `timeoutMs`.
 */
export function bulkhead(
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    timeoutMs?: number;
    /** A command the binary runs under, such as `setpriv …` (`--` is added). */
    wrap?: readonly string[] | undefined;
  } = {},
): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const k of ['DEBUG', 'FORCE_COLOR', 'NODE_OPTIONS'])
    if (!(options.env && k in options.env)) delete env[k];
  env.PATH = [path.dirname(process.execPath), env.PATH].filter(Boolean).join(path.delimiter);
  return new Promise((resolve, reject) => {
    const [command, ...argv] = [...(options.wrap ? [...options.wrap, '--'] : []), BIN, ...args];
    const child = spawn(command!, argv, {
      cwd: options.cwd ?? process.cwd(),
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bulkhead ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'bulkhead-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts a failed run printed one clear message and no stack trace. */
export function expectOneLineError(r: RunResult, pattern: RegExp): void {
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/node:internal|\.js:\d+/);
}
