/**
 * `bulkhead seccomp learn` on the real engine, through the built binary: learn in gVisor, verify
 * under runc (the exercise passes, a call outside the profile gets EPERM), merge, and the errors.
 * Needs root, runsc and the engine (CI has all three); outside CI without an engine it skips loudly.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dockerDefaultSyscalls, validateSeccompProfile } from '@bulkhead/core';
import { describeWithEngine, TEST_IMAGE } from '../support/engine.js';

const BIN = path.join(__dirname, '..', '..', 'packages', 'cli', 'bin', 'run.js');
const WORKLOADS = path.join(__dirname, 'workloads');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bulkhead(args: string[], opts: { env?: Record<string, string>; uid?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...opts.env };
    delete env.DEBUG;
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Report {
  summary: {
    architecture: string;
    used: string[];
    allowed: string[];
    dockerDefaultCount: number;
    deniedFromDefault: string[];
    reductionPercent: number;
    dangerousUsed: string[];
  };
  trace: { exitCode: number | null; events: number };
  verify?: {
    workload: { ok: boolean; exitCode: number | null };
    probe?: { eperm: boolean; calls: string[]; output: string };
  };
}

let dir: string;
beforeAll(() => {
  if (
    !existsSync(
      path.join(__dirname, '..', '..', 'packages', 'cli', 'dist', 'commands', 'seccomp', 'learn.js'),
    )
  ) {
    throw new Error('packages/cli is not built: run npx tsc -p packages/cli/tsconfig.build.json');
  }
  dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-learn-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function learn(
  workload: string,
  extra: string[] = [],
): Promise<{ run: Run; report: Report; file: string }> {
  const file = path.join(dir, `${workload}-${extra.length}.json`);
  const run = await bulkhead([
    'seccomp',
    'learn',
    '--image',
    TEST_IMAGE,
    '--exercise',
    path.join(WORKLOADS, `${workload}.sh`),
    '--duration',
    '20s',
    '--output',
    file,
    '--format',
    'json',
    ...extra,
  ]);
  if (run.code !== 0) throw new Error(`learn ${workload} exited ${run.code}: ${run.stderr}${run.stdout}`);
  return { run, report: JSON.parse(run.stdout) as Report, file };
}

describeWithEngine('bulkhead seccomp learn (runsc tracing, runc verification, built binary)', () => {
  jest.setTimeout(90_000);

  it.each(['files', 'http'])(
    'learns the %s workload: the exercise passes under runc with the profile, a call outside it gets EPERM, ≥80%% fewer calls than Docker allows',
    async (workload) => {
      const { report, file } = await learn(workload, ['--verify']);
      const profile = JSON.parse(readFileSync(file, 'utf8'));
      expect(validateSeccompProfile(profile).ok).toBe(true);
      expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
      expect(profile.architectures).toEqual([report.summary.architecture]);
      expect(report.trace.exitCode).toBe(0);
      expect(report.verify?.workload).toMatchObject({ ok: true, exitCode: 0 });
      expect(report.verify?.probe?.eperm).toBe(true);
      expect(report.verify?.probe?.output).toMatch(/Operation not permitted/);
      const def = dockerDefaultSyscalls().length;
      expect(report.summary.dockerDefaultCount).toBe(def);
      expect(report.summary.allowed.length).toBeLessThanOrEqual(def * 0.2);
      expect(report.summary.reductionPercent).toBeGreaterThanOrEqual(80);
      expect(report.summary.dangerousUsed).toEqual([]);
      if (workload === 'http')
        expect(report.summary.used).toEqual(expect.arrayContaining(['socket', 'bind', 'connect']));
      else expect(report.summary.used).not.toContain('socket');
    },
  );

  it('merges two learnings (different exercises) into their union, for the one architecture', async () => {
    const a = await learn('files');
    const b = await learn('http', ['--merge', a.file]);
    const merged = JSON.parse(readFileSync(b.file, 'utf8'));
    const allowed = new Set(
      merged.syscalls
        .filter((s: { action: string }) => s.action === 'SCMP_ACT_ALLOW')
        .flatMap((s: { names: string[] }) => s.names),
    );
    const union = new Set([...a.report.summary.allowed, ...b.report.summary.used]);
    expect([...allowed].sort()).toEqual([...union].sort());
    expect(merged.architectures).toEqual([a.report.summary.architecture]);
  });

  it('refuses to merge a profile learned on another architecture (exit 2, naming both)', async () => {
    const foreign = path.join(dir, 'aarch64.json');
    writeFileSync(
      foreign,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        architectures: ['SCMP_ARCH_AARCH64'],
        syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }],
      }),
    );
    const r = await bulkhead([
      'seccomp',
      'learn',
      '--image',
      TEST_IMAGE,
      '--cmd',
      'true',
      '--merge',
      foreign,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different architectures.*SCMP_ARCH_AARCH64/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an image the engine does not have', async () => {
    const r = await bulkhead([
      'seccomp',
      'learn',
      '--image',
      'bulkhead-test/no-such-image:0',
      '--cmd',
      'true',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('image bulkhead-test/no-such-image:0 is not in the engine');
  });

  it('exits 2 for a missing exercise script', async () => {
    const r = await bulkhead([
      'seccomp',
      'learn',
      '--image',
      TEST_IMAGE,
      '--exercise',
      path.join(dir, 'nope.sh'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read exercise script .*nope\.sh: no such file or directory/);
  });

  it('exits 3 when runsc is not installed (--runsc and BULKHEAD_RUNSC)', async () => {
    const flag = await bulkhead([
      'seccomp',
      'learn',
      '--image',
      TEST_IMAGE,
      '--cmd',
      'true',
      '--runsc',
      '/nonexistent/runsc',
    ]);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain('runsc (gVisor) is not installed at /nonexistent/runsc');
    const env = await bulkhead(['seccomp', 'learn', '--image', TEST_IMAGE, '--cmd', 'true'], {
      env: { BULKHEAD_RUNSC: '/nonexistent/runsc2' },
    });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain('/nonexistent/runsc2');
  });

  it('exits 3 when not run as root (the documented --require-root check)', async () => {
    if (process.getuid?.() !== 0) {
      const r = await bulkhead(['seccomp', 'learn', '--image', TEST_IMAGE, '--cmd', 'true']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('must run as root');
      return;
    }
    const r = await bulkhead(['seccomp', 'learn', '--image', TEST_IMAGE, '--cmd', 'true'], { uid: 65534 });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('must run as root');
  });
});
