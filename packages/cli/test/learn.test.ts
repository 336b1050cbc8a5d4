import {
  dockerDefaultSyscalls,
  evaluate,
  fromCompose,
  seccompToJson,
  validateSeccompProfile,
} from '@bulkhead/core';
import { ociSpec, processArgs } from '../src/learn/bundle.js';
import { mergeLearned, pickProbe, RUNC_MINIMUM, summarize } from '../src/learn/index.js';
import { learnedProfile, seccompArch } from '../src/learn/profile.js';
import { parseCmd } from '../src/learn/report.js';
import { parseStrace } from '../src/learn/strace.js';

const LOG = [
  'I1123 09:39:38.964950    5338 main.go:230] \t\tStrace: true, max size: 1024, syscalls: ',
  'I1123 09:39:39.068229    5338 strace.go:561] [   1:   1] sh E brk(0x0)',
  'I1123 09:39:39.068292    5338 strace.go:599] [   1:   1] sh X brk(0x0) = 6209536 (0x5ec000) (10.431µs)',
  'I1123 09:39:39.068547    5338 strace.go:564] [   1:   1] sh E arch_prctl(0x1002, 0x5ec3c0)',
  'I1123 09:39:39.068927    5338 strace.go:567] [  12:  12] my worker E fstatat(0x5c2c98 /proc/self/exe)',
  'I1123 09:39:39.069335    5338 strace.go:567] [   1:   1] sh E sys_999(0x1)',
  'I1123 09:39:39.069336    5338 strace.go:567] [   1:   1] sh X write(0x1) = 1',
].join('\n');

describe('parseStrace (gVisor boot log)', () => {
  it('collects the names of entered calls only, maps gVisor aliases and sets aside unknown names', () => {
    const r = parseStrace([LOG]);
    expect(r.syscalls).toEqual(['arch_prctl', 'brk', 'newfstatat']);
    expect(r.unrecognized).toEqual(['sys_999']);
    expect(r.events).toBe(4);
  });
  it('finds nothing in a log without strace lines', () => {
    expect(parseStrace(['I1123 main.go:217] Args: [runsc boot]']).events).toBe(0);
  });
});

describe('learnedProfile', () => {
  const p = learnedProfile(['read', 'openat', 'write'], 'SCMP_ARCH_X86_64', 'image x');
  it('is a valid default-deny (EPERM) profile for one architecture only', () => {
    expect(validateSeccompProfile(p).ok).toBe(true);
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
    expect(p.architectures).toEqual(['SCMP_ARCH_X86_64']);
    expect(p.archMap).toBeUndefined();
  });
  it("allows exactly the learned calls plus runc's minimum, and says where it came from", () => {
    const allow = p.syscalls?.find((s) => s.action === 'SCMP_ACT_ALLOW');
    expect(allow?.names).toEqual([...new Set(['read', 'openat', 'write', ...RUNC_MINIMUM])].sort());
    expect(allow?.comment).toContain('SCMP_ARCH_X86_64 only');
  });
  it('refuses clone3 with ENOSYS unless learned, so the C library falls back to clone', () => {
    expect(p.syscalls?.find((s) => s.names.includes('clone3'))).toMatchObject({ errnoRet: 38 });
    const withClone3 = learnedProfile(['clone3'], 'SCMP_ARCH_X86_64', 'x');
    expect(withClone3.syscalls?.filter((s) => s.names.includes('clone3')).map((s) => s.action)).toEqual([
      'SCMP_ACT_ALLOW',
    ]);
  });
  it('records that it needs no-new-privileges, which seccomp-profile-valid checks', () => {
    expect(p.syscalls?.[0]?.comment).toContain('requires no-new-privileges');
    const fails = (opts: string[]) => {
      const text = `services:\n  api:\n    image: busybox\n    security_opt: ${JSON.stringify([...opts, `seccomp=${seccompToJson(p)}`])}\n`;
      return evaluate(fromCompose(text, 'c.yaml'), { only: ['seccomp-profile-valid'] }).findings;
    };
    expect(fails([]).map((f) => f.message)).toEqual([expect.stringMatching(/without no-new-privileges/)]);
    expect(fails(['no-new-privileges:true'])).toEqual([]);
  });
  it('allows a learned clone only without namespace flags, as Docker does without CAP_SYS_ADMIN', () => {
    const withClone = learnedProfile(['clone'], 'SCMP_ARCH_X86_64', 'x');
    const clones = withClone.syscalls?.filter((s) => s.names.includes('clone')) ?? [];
    expect(clones).toEqual([
      expect.objectContaining({
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }],
      }),
    ]);
    const checked = validateSeccompProfile(withClone);
    expect(checked.ok && checked.warnings).toEqual([]);
  });
  it('leaves out arch_prctl on aarch64, where it does not exist', () => {
    const a = learnedProfile([], 'SCMP_ARCH_AARCH64', 'x');
    expect(a.syscalls?.[0]?.names).not.toContain('arch_prctl');
  });
  it('maps uname -m to the seccomp architecture and refuses others clearly', () => {
    expect(seccompArch('x86_64')).toBe('SCMP_ARCH_X86_64');
    expect(seccompArch('aarch64')).toBe('SCMP_ARCH_AARCH64');
    expect(() => seccompArch('riscv64')).toThrow(/only x86_64 and aarch64/);
  });
});

describe('summarize', () => {
  it("counts allowed calls against Docker's default, lists what is now denied and the dangerous calls used", () => {
    const used = ['read', 'write', 'ptrace', 'mount'];
    const s = summarize(learnedProfile(used, 'SCMP_ARCH_X86_64', 'x'), used);
    const def = dockerDefaultSyscalls();
    expect(s.dockerDefaultCount).toBe(def.length);
    expect(s.deniedFromDefault).not.toContain('read');
    expect(s.deniedFromDefault).toContain('mkdirat');
    expect(s.deniedFromDefault.length).toBe(def.filter((n) => !s.allowed.includes(n)).length);
    expect(s.reductionPercent).toBeCloseTo((1 - s.allowed.length / def.length) * 100, 0);
    expect(s.dangerousUsed).toEqual(['mount', 'ptrace']);
    expect(s.runcAdded).toEqual(RUNC_MINIMUM.filter((n) => !used.includes(n)));
  });
});

describe('mergeLearned', () => {
  it('is the union of two learnings on the same architecture', () => {
    const a = learnedProfile(['read'], 'SCMP_ARCH_X86_64', 'a');
    const b = learnedProfile(['socket'], 'SCMP_ARCH_X86_64', 'b');
    const m = mergeLearned([a, b], 'merged');
    const allowed = summarize(m, []).allowed;
    expect(allowed).toContain('read');
    expect(allowed).toContain('socket');
    expect(m.architectures).toEqual(['SCMP_ARCH_X86_64']);
  });
  it('refuses to merge profiles learned on different architectures', () => {
    const a = learnedProfile(['read'], 'SCMP_ARCH_X86_64', 'a');
    const b = learnedProfile(['read'], 'SCMP_ARCH_AARCH64', 'b');
    expect(() => mergeLearned([a, b], 'm')).toThrow(/different architectures/);
  });
});

describe('pickProbe', () => {
  it('picks mkdir when the profile excludes mkdir/mkdirat, and socket (nc) when the workload made directories', () => {
    expect(pickProbe(learnedProfile([], 'SCMP_ARCH_X86_64', 'x'))?.cmd[0]).toBe('mkdir');
    expect(pickProbe(learnedProfile(['mkdir'], 'SCMP_ARCH_X86_64', 'x'))?.calls).toEqual(['socket']);
  });
});

describe('bundle helpers', () => {
  it('runs the exercise with /bin/sh, else Entrypoint + (--cmd or Cmd), and refuses an image with neither', () => {
    const img = { user: '', env: [], workingDir: '/', entrypoint: ['/entry'], cmd: ['serve'] };
    expect(processArgs(img, undefined, true)).toEqual(['/bin/sh', '/.bulkhead-exercise']);
    expect(processArgs(img, undefined, false)).toEqual(['/entry', 'serve']);
    expect(processArgs(img, ['other'], false)).toEqual(['/entry', 'other']);
    expect(() => processArgs({ ...img, entrypoint: [], cmd: [] }, undefined, false)).toThrow(
      /--cmd or --exercise/,
    );
  });
  it('writes an OCI spec with the image user, env and cwd, no capabilities and no_new_privs', () => {
    const s = ociSpec({
      args: ['/x'],
      env: ['A=1'],
      cwd: '/srv',
      user: { uid: 10001, gid: 10001 },
      hostname: 'h',
    });
    expect(s).toMatchObject({
      process: { user: { uid: 10001, gid: 10001 }, args: ['/x'], cwd: '/srv', noNewPrivileges: true },
    });
    expect((s.process as { env: string[] }).env).toEqual([expect.stringMatching(/^PATH=/), 'A=1']);
  });
});

describe('flag parsing', () => {
  it('parses --cmd as a JSON array or words', () => {
    expect(parseCmd('["sh","-c","echo a b"]')).toEqual(['sh', '-c', 'echo a b']);
    expect(parseCmd('httpd -f -p 8080')).toEqual(['httpd', '-f', '-p', '8080']);
    expect(parseCmd('[1]')).toBeUndefined();
    expect(parseCmd('  ')).toBeUndefined();
  });
});
