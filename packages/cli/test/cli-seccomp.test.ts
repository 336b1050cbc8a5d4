import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateSeccompProfile } from '@bulkhead/core';
import { bulkhead, expectOneLineError, tempDir } from './support/cli.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('bulkhead seccomp (built binary)', () => {
  it('generate --remove writes a valid profile atomically that no longer allows the removed syscalls', async () => {
    const out = path.join(tmp.dir, 'profile.json');
    const r = await bulkhead([
      'seccomp',
      'generate',
      '--remove',
      'ptrace,personality',
      '--add',
      'io_uring_setup',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(tmp.dir)).toEqual(['profile.json']);
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    const check = validateSeccompProfile(profile);
    expect(check.ok).toBe(true);
    const allowed = new Set<string>(
      profile.syscalls
        .filter((s: { action: string }) => s.action === 'SCMP_ACT_ALLOW')
        .flatMap((s: { names: string[] }) => s.names),
    );
    expect(allowed.has('ptrace')).toBe(false);
    expect(allowed.has('io_uring_setup')).toBe(true);
    expect(allowed.has('read')).toBe(true);

    const v = await bulkhead(['seccomp', 'validate', out]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('valid seccomp profile');
  });

  it('generate with an unknown syscall exits 2 naming it', async () => {
    const r = await bulkhead(['seccomp', 'generate', '--add', 'bogus_call']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /add\[0\]: unknown syscall "bogus_call"/);
  });

  it('validate of an invalid profile exits 1 and lists each error with its path (also as --format json)', async () => {
    const bad = path.join(tmp.dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'NOPE' }] }),
    );
    const r = await bulkhead(['seccomp', 'validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}defaultAction: /m);
    expect(r.stderr).toMatch(/^ {2}syscalls\[0\]\.action: unknown action "NOPE"/m);
    const j = await bulkhead(['seccomp', 'validate', bad, '--format', 'json']);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['defaultAction', 'syscalls[0].action']),
    );
  });

  it('validate flags each call Docker keeps for a capability (exit 1), and summarizes many unknown names in one line', async () => {
    const risky = path.join(tmp.dir, 'risky.json');
    const unknownNames = Array.from({ length: 300 }, (_, i) => `made_up_${i}`);
    writeFileSync(
      risky,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        syscalls: [{ names: ['read', 'mount', 'unshare', ...unknownNames], action: 'SCMP_ACT_ALLOW' }],
      }),
    );
    const r = await bulkhead(['seccomp', 'validate', risky]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /allows 2 calls Docker's default profile keeps for containers holding a capability/,
    );
    expect(r.stderr).toMatch(
      /^ {2}syscalls\[0\]\.names\[1\]: allows mount, which .* only with CAP_SYS_ADMIN/m,
    );
    expect(r.stderr.match(/not known Linux syscalls/g)).toHaveLength(1);
    expect(r.stderr.split('\n').length).toBeLessThan(10);
    const j = JSON.parse((await bulkhead(['seccomp', 'validate', risky, '-f', 'json'])).stdout);
    expect(j.dangerous.map((d: { path: string }) => d.path)).toEqual([
      'syscalls[0].names[1]',
      'syscalls[0].names[2]',
    ]);
  });

  it('validate of a file that is not JSON, or a directory, exits 2', async () => {
    const notJson = path.join(tmp.dir, 'profile.txt');
    writeFileSync(notJson, '{"defaultAction": ');
    const r = await bulkhead(['seccomp', 'validate', notJson]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /profile\.txt is not JSON/);
    const d = await bulkhead(['seccomp', 'validate', tmp.dir]);
    expect(d.code).toBe(2);
    expectOneLineError(d, /is a directory/);
  });
});
