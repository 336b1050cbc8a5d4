import {
  AF_VSOCK,
  CLONE_NAMESPACE_MASK,
  DOCKER_DEFAULT_RULES,
  DOCKER_DEFAULT_SOURCE,
  type DockerDefaultRule,
} from '../../src/seccomp/docker-default.js';
import {
  dockerDefaultProfile,
  dockerDefaultSyscalls,
  isKnownSyscall,
  validateSeccompProfile,
} from '../../src/seccomp/index.js';

const rulesFor = (name: string): DockerDefaultRule[] =>
  DOCKER_DEFAULT_RULES.filter((r) => r.names.includes(name));
const unconditional = new Set(dockerDefaultSyscalls());

describe("Docker's default allowlist (moby profiles/seccomp/default.json)", () => {
  it('names the moby commit it was transcribed from', () => {
    expect(DOCKER_DEFAULT_SOURCE).toEqual({
      repository: 'moby/moby',
      path: 'profiles/seccomp/default.json',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });

  it('has the 349 unconditional names of that revision, every one a real Linux syscall', () => {
    expect(unconditional.size).toBe(349);
    expect([...unconditional].filter((n) => !isKnownSyscall(n))).toEqual([]);
    expect(DOCKER_DEFAULT_RULES.flatMap((r) => r.names).filter((n) => !isKnownSyscall(n))).toEqual([]);
  });

  it('allows the everyday calls unconditionally', () => {
    for (const name of ['read', 'write', 'openat', 'mkdirat', 'uname', 'execve', 'futex', 'exit_group']) {
      expect(unconditional.has(name)).toBe(true);
    }
  });

  it('never lists a conditional name in the unconditional group', () => {
    const conditional = DOCKER_DEFAULT_RULES.filter((r) => r.args || r.onlyIf || r.unless).flatMap(
      (r) => r.names,
    );
    expect(conditional.filter((n) => unconditional.has(n))).toEqual([]);
  });

  it('allows mount, umount2, unshare and setns only with CAP_SYS_ADMIN', () => {
    for (const name of ['mount', 'umount2', 'unshare', 'setns']) {
      expect(rulesFor(name)).toEqual([
        expect.objectContaining({ action: 'allow', onlyIf: { caps: ['CAP_SYS_ADMIN'] } }),
      ]);
    }
  });

  it('allows bpf only with CAP_SYS_ADMIN or CAP_BPF', () => {
    expect(rulesFor('bpf').map((r) => r.onlyIf)).toEqual([
      { caps: ['CAP_SYS_ADMIN'] },
      { caps: ['CAP_BPF'] },
    ]);
  });

  it('allows reboot only with CAP_SYS_BOOT and chroot only with CAP_SYS_CHROOT', () => {
    expect(rulesFor('reboot').map((r) => r.onlyIf)).toEqual([{ caps: ['CAP_SYS_BOOT'] }]);
    expect(rulesFor('chroot').map((r) => r.onlyIf)).toEqual([{ caps: ['CAP_SYS_CHROOT'] }]);
  });

  it('allows ptrace on kernels from 4.8 on, or with CAP_SYS_PTRACE', () => {
    expect(rulesFor('ptrace').map((r) => r.onlyIf)).toEqual([
      { minKernel: '4.8' },
      { caps: ['CAP_SYS_PTRACE'] },
    ]);
  });

  it('never allows kexec_load, keyctl, add_key, userfaultfd, pivot_root, swapon or uselib', () => {
    for (const name of [
      'kexec_load',
      'kexec_file_load',
      'keyctl',
      'add_key',
      'userfaultfd',
      'pivot_root',
      'swapon',
      'uselib',
    ]) {
      expect(rulesFor(name)).toEqual([]);
    }
  });

  it('allows socket for every address family except AF_VSOCK', () => {
    expect(AF_VSOCK).toBe(40);
    expect(rulesFor('socket')).toEqual([
      expect.objectContaining({ args: [{ index: 0, value: 40, op: 'SCMP_CMP_NE' }] }),
    ]);
  });

  it('allows personality only for PER_LINUX, PER_LINUX32, UNAME26 (±LINUX32) and the query value', () => {
    expect(rulesFor('personality').map((r) => r.args?.[0]?.value)).toEqual([
      0, 8, 0x20000, 0x20008, 0xffffffff,
    ]);
    expect(rulesFor('personality').every((r) => r.args?.[0]?.op === 'SCMP_CMP_EQ')).toBe(true);
  });

  it('lets clone create no namespace without CAP_SYS_ADMIN (flags in arg 1 on s390) and fails clone3 with ENOSYS', () => {
    expect(CLONE_NAMESPACE_MASK).toBe(2114060288);
    expect(
      rulesFor('clone').map((r) => [r.args?.[0]?.index, r.onlyIf?.arches ?? r.onlyIf, r.unless]),
    ).toEqual([
      [undefined, { caps: ['CAP_SYS_ADMIN'] }, undefined],
      [0, undefined, { caps: ['CAP_SYS_ADMIN'], arches: ['s390', 's390x'] }],
      [1, ['s390', 's390x'], { caps: ['CAP_SYS_ADMIN'] }],
    ]);
    expect(rulesFor('clone3').map((r) => [r.action, r.unless])).toEqual([
      ['allow', undefined],
      [{ errno: 38 }, { caps: ['CAP_SYS_ADMIN'] }],
    ]);
  });

  it('allows arch_prctl only on x86-64 and the ARM calls only on arm/arm64', () => {
    expect(rulesFor('arch_prctl').map((r) => r.onlyIf)).toEqual([{ arches: ['amd64', 'x32'] }]);
    expect(rulesFor('set_tls').map((r) => r.onlyIf)).toEqual([{ arches: ['arm', 'arm64'] }]);
  });

  it("rebuilds moby's profile in Docker's JSON form, which our validator accepts", () => {
    const result = validateSeccompProfile(JSON.stringify(dockerDefaultProfile()));
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(dockerDefaultProfile().syscalls).toHaveLength(31);
    expect(dockerDefaultProfile().archMap).toHaveLength(8);
  });
});
