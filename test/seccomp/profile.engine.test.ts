/**
 * Seccomp profiles from `@bulkhead/core` inside a real Docker engine: the builder's profile runs a
 * locked-down busybox container, removing a syscall really refuses it (and Docker's own default
 * does not), and an invalid profile is stopped by our validator before the engine sees it.
 *
 * Two ways in, as users take them: the `docker` CLI reads a profile from a file
 * (`--security-opt seccomp=<path>`; it refuses inline JSON), and the Engine API — what the Pulumi
 * docker provider calls — takes `seccompSecurityOpt(profile)` (`seccomp=<json>`) inline.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSeccompProfile,
  InputError,
  type SeccompProfile,
  seccompSecurityOpt,
  seccompToJson,
  validateSeccompProfile,
} from '@bulkhead/core';
import Dockerode from 'dockerode';
import { describeWithEngine, TEST_IMAGE } from '../support/engine.js';

jest.setTimeout(120_000);

const RUN_ID = `bhk-seccomp-${process.pid}-${randomBytes(3).toString('hex')}`;
const LABEL = `bulkhead.test=${RUN_ID}`;
/** The locked-down settings `HardenedContainer` uses, as `docker run` flags. */
const LOCKED_DOWN = ['--network', 'none', '--cap-drop', 'ALL', '--user', '10001:10001'];
const NO_NEW_PRIVS = ['--security-opt', 'no-new-privileges:true'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `docker` CLI; never throws for a non-zero exit. */
function docker(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: 90_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The payload of the Engine API's multiplexed log stream (8-byte header per frame: stream, 0,0,0, size). */
function demux(buf: Buffer): string {
  let out = '';
  for (let at = 0; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at + 4);
    out += buf.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}

let n = 0;
const uniqueName = () => `${RUN_ID}-${++n}`;

describeWithEngine('seccomp profiles on a real Docker engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-seccomp-'));
  const api = new Dockerode();

  /** Writes a profile for the CLI, which only reads profiles from files. */
  function profileFile(profile: SeccompProfile): string {
    const path = join(dir, `${++n}.json`);
    writeFileSync(path, seccompToJson(profile));
    return path;
  }

  /** `docker run` of the test image with a seccomp profile (or Docker's default when none). */
  function run(seccomp: SeccompProfile | undefined, script: string): Promise<Run> {
    const opt = seccomp ? ['--security-opt', `seccomp=${profileFile(seccomp)}`] : [];
    return docker(
      [
        'run',
        '--rm',
        '--name',
        uniqueName(),
        '--label',
        LABEL,
        ...LOCKED_DOWN,
        ...NO_NEW_PRIVS,
        ...opt,
      ].concat([TEST_IMAGE, 'sh', '-c', script]),
    );
  }

  /** Creates and runs a container through the Engine API with inline security options. */
  async function runViaApi(securityOpt: string[], script: string): Promise<{ code: number; output: string }> {
    const container = await api.createContainer({
      name: uniqueName(),
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', script],
      User: '10001:10001',
      Labels: { 'bulkhead.test': RUN_ID },
      HostConfig: { NetworkMode: 'none', CapDrop: ['ALL'], SecurityOpt: securityOpt },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const logs = await container.logs({ stdout: true, stderr: true });
      return { code: StatusCode, output: demux(logs) };
    } finally {
      await container.remove({ force: true });
    }
  }

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const left = await docker(['ps', '-aq', '--filter', `label=${LABEL}`]);
    const ids = left.stdout.split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids]);
  });

  it("runs a locked-down busybox container under the builder's default profile (CLI, profile file)", async () => {
    const r = await run(buildSeccompProfile(), 'echo ok && mkdir /tmp/probe && echo made');
    expect(r).toMatchObject({ code: 0, stdout: 'ok\nmade\n' });
  });

  it('runs the same container with the profile inline as seccomp=<json> through the Engine API (the Pulumi path)', async () => {
    const opt = seccompSecurityOpt(buildSeccompProfile());
    const r = await runViaApi([opt, 'no-new-privileges:true'], 'echo ok');
    expect(r).toEqual({ code: 0, output: 'ok\n' });
  });

  it('refuses mkdir with "Operation not permitted" once mkdir/mkdirat are removed; Docker\'s default allows it', async () => {
    const probe = 'mkdir /tmp/probe && echo made';
    const removed = await run(buildSeccompProfile({ remove: ['mkdir', 'mkdirat'] }), probe);
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toContain('Operation not permitted');
    expect(removed.stdout).toBe('');
    const dockerDefault = await run(undefined, probe);
    expect(dockerDefault).toMatchObject({ code: 0, stdout: 'made\n' });
  });

  it('refuses a removed syscall through the Engine API as well', async () => {
    const opt = seccompSecurityOpt(buildSeccompProfile({ remove: ['mkdir', 'mkdirat'] }));
    const r = await runViaApi([opt, 'no-new-privileges:true'], 'mkdir /tmp/probe');
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Operation not permitted');
  });

  it('stops a defaultAction SCMP_ACT_ALLOW profile in our validator, which the engine itself would run', async () => {
    const permissive: SeccompProfile = { ...buildSeccompProfile(), defaultAction: 'SCMP_ACT_ALLOW' };
    delete permissive.defaultErrnoRet;
    const checked = validateSeccompProfile(seccompToJson(permissive));
    expect(checked.ok).toBe(false);
    expect(() => seccompSecurityOpt(permissive)).toThrow(InputError);
    expect(() => seccompSecurityOpt(permissive)).toThrow(
      /defaultAction: SCMP_ACT_ALLOW allows every syscall not listed/,
    );
    // Why the check has to be ours: the engine accepts the permissive profile without complaint.
    const engine = await runViaApi([`seccomp=${seccompToJson(permissive)}`], 'echo ran');
    expect(engine).toEqual({ code: 0, output: 'ran\n' });
  });
});
