import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EXIT, UserError } from '../lib/exit.js';
import { parseStrace, type TracedCalls } from './strace.js';

/** Where runsc is looked for: `--runsc`, then `BULKHEAD_RUNSC`, then `/usr/bin/runsc`. */
export function runscPath(flag: string | undefined): string {
  return flag || process.env.BULKHEAD_RUNSC || '/usr/bin/runsc';
}

/** Checks runsc exists and is executable (exit 3 otherwise). */
export async function checkRunsc(runsc: string): Promise<void> {
  try {
    await fs.access(runsc, constants.X_OK);
  } catch {
    throw new UserError(`runsc (gVisor) is not installed at ${runsc}`, EXIT.environment, [
      'install gVisor (https://gvisor.dev/docs/user_guide/install/) or point --runsc / BULKHEAD_RUNSC at it',
    ]);
  }
}

/** How a traced or verified run ended. */
export interface RunEnd {
  /** The process's exit code; `null` when it was stopped at the end of `--duration`. */
  exitCode: number | null;
  /** True when the run was still going at the end of `--duration` and was stopped. */
  timedOut: boolean;
  /** Wall time in milliseconds. */
  ms: number;
  /** The last lines the workload wrote (stdout and stderr). */
  output: string;
}

/** A traced run: how it ended and the syscalls it made. */
export interface TraceResult extends RunEnd {
  calls: TracedCalls;
}

function tail(s: string, lines = 20): string {
  return s.split('\n').slice(-lines).join('\n').trim();
}

function run(
  cmd: string,
  args: readonly string[],
  timeoutMs?: number,
  onTimeout?: () => Promise<void>,
): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    const add = (d: Buffer) => {
      out += d.toString('utf8');
      if (out.length > 65536) out = out.slice(-32768);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void (onTimeout ?? (async () => undefined))().finally(() => {
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            });
          }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
}

/**
 * Runs the bundle once inside gVisor with system-call tracing
 * (`runsc --network=none --strace --debug --debug-log=<dir>/ run --bundle <bundle> <id>`), stops it
 * after `durationMs`, and parses the strace lines of the debug logs.
 */
export async function traceBundle(options: {
  runsc: string;
  bundle: string;
  workDir: string;
  id: string;
  durationMs: number;
}): Promise<TraceResult> {
  const root = path.join(options.workDir, 'runsc-root');
  const logs = path.join(options.workDir, 'logs');
  await fs.mkdir(root, { recursive: true });
  await fs.mkdir(logs, { recursive: true });
  const global = ['--root', root, '--network=none'];
  const start = Date.now();
  let result: { code: number | null; out: string; timedOut: boolean };
  try {
    result = await run(
      options.runsc,
      [
        ...global,
        '--strace',
        '--debug',
        `--debug-log=${logs}/`,
        'run',
        '--bundle',
        options.bundle,
        options.id,
      ],
      options.durationMs,
      async () => {
        await run(options.runsc, [...global, 'kill', '--all', options.id, 'KILL'], 10_000).catch(
          () => undefined,
        );
      },
    );
  } catch (error) {
    throw new UserError(`cannot run runsc: ${(error as Error).message}`, EXIT.environment);
  } finally {
    await run(options.runsc, [...global, 'delete', '--force', options.id], 10_000).catch(() => undefined);
  }
  const ms = Date.now() - start;
  const files = await fs.readdir(logs);
  const texts = await Promise.all(
    files.filter((f) => f.includes('boot')).map((f) => fs.readFile(path.join(logs, f), 'utf8')),
  );
  const calls = parseStrace(texts);
  if (calls.events === 0) {
    const log = await Promise.all(files.map((f) => fs.readFile(path.join(logs, f), 'utf8')));
    const why = log.join('\n').match(/^W.*(?:error|failed).*$/im)?.[0] ?? tail(result.out, 3);
    throw new UserError(
      `the workload did not start under gVisor, no system call was traced: ${why.slice(0, 300)}`,
      EXIT.environment,
    );
  }
  return {
    exitCode: result.timedOut ? null : result.code,
    timedOut: result.timedOut,
    ms,
    output: tail(result.out),
    calls,
  };
}
