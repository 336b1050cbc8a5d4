import { Secret, UNKNOWN } from '../../src/model/value.js';
import { seccompWithinLearnedProfile } from '../../src/rules/seccomp-within-learned-profile.js';
import { dockerDefaultSyscalls, seccompSecurityOpt } from '../../src/seccomp/index.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(seccompWithinLearnedProfile, {
  mutations: [exampleMutation(seccompWithinLearnedProfile)],
});

const id = 'seccomp-within-learned-profile';
const NNP = 'no-new-privileges:true';
const LEARNED = ['brk', 'close', 'execve', 'exit_group', 'futex', 'openat', 'read', 'write'];
const learnedSeccomp = { allowed: LEARNED, source: 'api.seccomp.json' };
const profile = (names: string[]) =>
  seccompSecurityOpt({
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [{ names, action: 'SCMP_ACT_ALLOW' }],
  });

const allowByDefault = `seccomp=${JSON.stringify({
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ERRNO' }],
})}`;

describe('seccomp-within-learned-profile', () => {
  it('passes the compliant fixture: no learned profile was given, so there is nothing to compare', () =>
    expectPass(id, container()));

  it('passes a container running exactly the learned profile, or a narrower one', () => {
    expectPass(id, container({ learnedSeccomp, securityOpt: [NNP, profile(LEARNED)] }));
    expectPass(id, container({ learnedSeccomp, securityOpt: [NNP, profile(LEARNED.slice(2))] }));
  });

  it("fails with Docker's default (no seccomp option), counting the extra calls by name only", () => {
    const [msg] = expectFail(id, container({ learnedSeccomp }), 'securityOpt');
    const extra = dockerDefaultSyscalls().filter((n) => !LEARNED.includes(n)).length;
    expect(msg).toContain(`Docker's default seccomp profile allows`);
    expect(Number(/allows (\d+) system calls/.exec(msg!)?.[1])).toBeGreaterThanOrEqual(extra);
    expect(msg).not.toContain('api.seccomp.json');
  });

  it('fails seccomp=unconfined at its index', () => {
    const [msg] = expectFail(
      id,
      container({ learnedSeccomp, securityOpt: [NNP, 'seccomp=unconfined'] }),
      'securityOpt[1]',
    );
    expect(msg).toContain('unconfined');
  });

  it('fails a profile that allows one call more than learned, naming it', () => {
    const [msg] = expectFail(
      id,
      container({ learnedSeccomp, securityOpt: [profile([...LEARNED, 'ptrace'])] }),
      'securityOpt[0]',
    );
    expect(msg).toMatch(/allows 1 system call the learned profile does not \(ptrace\)/);
  });

  it('leaves a malformed or allow-by-default profile, or a file path, to seccomp-profile-valid (passes here)', () => {
    expectPass(id, container({ learnedSeccomp, securityOpt: [new Secret(allowByDefault)] }));
    expectPass(id, container({ learnedSeccomp, securityOpt: ['seccomp=/etc/strict.json'] }));
    expectPass(id, container({ learnedSeccomp, securityOpt: ['seccomp={"defaultAction":"NOPE"}'] }));
  });

  it('is unknown while securityOpt, or an entry after the seccomp one, is not known', () => {
    expectUnknown(id, container({ learnedSeccomp, securityOpt: UNKNOWN }), 'securityOpt');
    expectUnknown(
      id,
      container({ learnedSeccomp, securityOpt: [profile(LEARNED), UNKNOWN] }),
      'securityOpt[1]',
    );
  });

  it('passes a resource type that cannot set security options (another rule reports the gap)', () =>
    expectPass(id, container({ learnedSeccomp }, ['securityOpt'])));
});
