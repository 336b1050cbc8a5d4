import { seccompProfileValid } from '../../src/rules/seccomp-profile-valid.js';
import type { Outcome } from '../../src/rules/types.js';
import {
  CAPABILITY_GATED,
  dangerousAllowances,
  dockerDefaultProfile,
  dockerDefaultSyscalls,
  LEARNED_MARKER,
  type SeccompProfile,
  seccompToJson,
  validateSeccompProfile,
} from '../../src/seccomp/index.js';
import { compliantContainer } from '../fixtures.js';

const allowing = (
  names: string[],
  extra: Partial<SeccompProfile['syscalls'] extends (infer S)[] | undefined ? S : never> = {},
): SeccompProfile => ({
  defaultAction: 'SCMP_ACT_ERRNO',
  syscalls: [
    { names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW' },
    { names, action: 'SCMP_ACT_ALLOW', ...extra },
  ],
});

describe('dangerous allowances, derived from Docker default data', () => {
  it('lists the calls Docker allows only under a capability, none of which it allows to everyone', () => {
    const names = CAPABILITY_GATED.map((g) => g.name);
    for (const n of [
      'mount',
      'umount2',
      'unshare',
      'setns',
      'bpf',
      'ptrace',
      'init_module',
      'finit_module',
      'delete_module',
      'perf_event_open',
      'reboot',
      'open_by_handle_at',
      'clone',
      'clone3',
      'kcmp',
      'iopl',
    ]) {
      expect(names).toContain(n);
    }
    const everyone = new Set(dockerDefaultSyscalls());
    for (const g of CAPABILITY_GATED) {
      expect(everyone.has(g.name)).toBe(false);
      expect(g.caps.length).toBeGreaterThan(0);
      expect(g.why.length).toBeGreaterThan(5);
    }
    expect(CAPABILITY_GATED.find((g) => g.name === 'bpf')!.caps).toEqual(['CAP_BPF', 'CAP_SYS_ADMIN']);
  });

  it('flags each gated call allowed without its capability, with the capability and the reason', () => {
    const issues = dangerousAllowances(allowing(['mount', 'ptrace', 'getpid']));
    expect(issues.map((i) => i.path)).toEqual(['syscalls[1].names[0]', 'syscalls[1].names[1]']);
    expect(issues[0]!.message).toMatch(
      /^allows mount, which Docker's default profile allows only with CAP_SYS_ADMIN: mounts, namespaces/,
    );
    expect(issues[1]!.message).toMatch(/only with CAP_SYS_PTRACE/);
  });

  it('accepts a gated call conditioned on its capability, clone with the namespace filter and ptrace from kernel 4.8', () => {
    expect(dangerousAllowances(allowing(['mount'], { includes: { caps: ['CAP_SYS_ADMIN'] } }))).toEqual([]);
    expect(dangerousAllowances(allowing(['mount'], { includes: { caps: ['CAP_NET_ADMIN'] } }))).toHaveLength(
      1,
    );
    const filter = { index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' as const };
    expect(dangerousAllowances(allowing(['clone'], { args: [filter] }))).toEqual([]);
    expect(dangerousAllowances(allowing(['clone']))[0]!.message).toMatch(/no namespace flag/);
    expect(dangerousAllowances(allowing(['ptrace'], { includes: { minKernel: '4.8' } }))).toEqual([]);
    expect(dangerousAllowances(allowing(['ptrace'], { includes: { minKernel: '4.10' } }))).toEqual([]);
    expect(dangerousAllowances(allowing(['ptrace'], { includes: { minKernel: '4.4' } }))).toHaveLength(1);
    // A refusal is never dangerous.
    expect(
      dangerousAllowances({
        defaultAction: 'SCMP_ACT_ERRNO',
        syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ERRNO' }],
      }),
    ).toEqual([]);
  });

  it("finds nothing dangerous in Docker's own default profile", () => {
    expect(dangerousAllowances(dockerDefaultProfile())).toEqual([]);
    const r = validateSeccompProfile(seccompToJson(dockerDefaultProfile()));
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('summarizes many unknown names in one warning instead of one line each', () => {
    const made = Array.from({ length: 5000 }, (_, i) => `madeup_${i}`);
    const r = validateSeccompProfile(allowing(made));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      path: 'syscalls',
      message: expect.stringMatching(/^5000 names are not known Linux syscalls/),
    });
    const few = validateSeccompProfile(allowing(['madeup_a', 'madeup_b']));
    expect(few.ok && few.warnings.map((w) => w.path)).toEqual([
      'syscalls[1].names[0]',
      'syscalls[1].names[1]',
    ]);
  });
});

describe('seccomp-profile-valid with dangerous and learned profiles', () => {
  const run = (profile: SeccompProfile, opts: string[] = []): Outcome[] => {
    const out = seccompProfileValid.check(
      compliantContainer({ securityOpt: [...opts, `seccomp=${seccompToJson(profile)}`] }),
    );
    return (Array.isArray(out) ? out : [out]).filter((o) => o.status !== 'pass');
  };
  const learned: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      {
        names: ['read', 'write', 'exit_group'],
        action: 'SCMP_ACT_ALLOW',
        comment: `${LEARNED_MARKER} from x`,
      },
    ],
  };

  it('fails a profile that allows mount, naming the call and the capability', () => {
    const out = run(allowing(['mount']), ['no-new-privileges']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      status: 'fail',
      path: 'securityOpt[1]',
      message: expect.stringMatching(/allows mount, .*CAP_SYS_ADMIN/),
    });
  });

  it('fails a learned profile without no-new-privileges, and passes it with it', () => {
    expect(run(learned)[0]).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/learned by `bulkhead seccomp learn` without no-new-privileges/),
    });
    expect(run(learned, ['no-new-privileges=false'])).toHaveLength(1);
    expect(run(learned, ['no-new-privileges:true'])).toEqual([]);
    expect(run(learned, ['no-new-privileges'])).toEqual([]);
  });
});

describe('seccomp-profile-valid and the capabilities a container keeps', () => {
  it('accepts a gated call when the container adds the capability Docker requires for it', () => {
    const profile = seccompToJson({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read', 'ptrace'], action: 'SCMP_ACT_ALLOW' }],
    });
    const fails = (capAdd: string[]) => {
      const out = seccompProfileValid.check(
        compliantContainer({ capAdd, securityOpt: ['no-new-privileges', `seccomp=${profile}`] }),
      );
      return (Array.isArray(out) ? out : [out]).filter((o) => o.status === 'fail').length;
    };
    expect(fails([])).toBe(1);
    expect(fails(['NET_BIND_SERVICE'])).toBe(1);
    expect(fails(['SYS_PTRACE'])).toBe(0);
    expect(fails(['cap_sys_ptrace'])).toBe(0);
  });
});
