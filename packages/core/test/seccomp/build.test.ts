import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import {
  allowedSyscalls,
  buildSeccompProfile,
  CAPABILITY_GATED,
  dockerDefaultSyscalls,
  KNOWN_SYSCALLS,
  mergeSeccompProfiles,
  type SeccompProfile,
  type SeccompSyscall,
  seccompSecurityOpt,
  seccompToJson,
  validateSeccompProfile,
} from '../../src/seccomp/index.js';

const entriesFor = (p: SeccompProfile, name: string): SeccompSyscall[] =>
  (p.syscalls ?? []).filter((s) => s.names.includes(name));
const isPlain = (s: SeccompSyscall) => !s.args && !s.includes && !s.excludes;
/** Names an entry allows with no condition at all. */
const alwaysAllowed = (p: SeccompProfile) =>
  new Set(
    (p.syscalls ?? []).filter((s) => s.action === 'SCMP_ACT_ALLOW' && isPlain(s)).flatMap((s) => s.names),
  );

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('buildSeccompProfile defaults', () => {
  const p = buildSeccompProfile();

  it('refuses every unlisted syscall with EPERM and covers x86_64 and aarch64 with their compat ABIs', () => {
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
    expect(p.archMap).toEqual([
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X32', 'SCMP_ARCH_X86'] },
    ]);
  });

  it("allows Docker's whole unconditional list unconditionally", () => {
    const always = alwaysAllowed(p);
    expect(dockerDefaultSyscalls().filter((n) => !always.has(n))).toEqual([]);
    expect(always.size).toBe(dockerDefaultSyscalls().length);
  });

  it('refuses the capability-gated calls a container without capabilities cannot use', () => {
    const allowed = allowedSyscalls(p);
    for (const name of [
      'mount',
      'umount2',
      'unshare',
      'setns',
      'bpf',
      'reboot',
      'chroot',
      'init_module',
      'kcmp',
    ]) {
      expect(allowed.has(name)).toBe(false);
    }
    expect(allowed.has('kexec_load')).toBe(false);
  });

  it('keeps the argument filters: socket without AF_VSOCK, five personalities, clone without namespaces', () => {
    expect(entriesFor(p, 'socket')).toEqual([
      { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 40, op: 'SCMP_CMP_NE' }] },
    ]);
    expect(entriesFor(p, 'personality')).toHaveLength(5);
    expect(entriesFor(p, 'clone')).toEqual([
      {
        names: ['clone'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }],
      },
    ]);
    expect(entriesFor(p, 'clone3')).toEqual([{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  });

  it('keeps ptrace behind its 4.8 kernel condition, which Docker evaluates', () => {
    expect(entriesFor(p, 'ptrace')).toEqual([
      expect.objectContaining({ action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' } }),
    ]);
  });

  it('has no capability conditions left and no entries for other architectures', () => {
    const json = seccompToJson(p);
    expect(json).not.toContain('"caps"');
    expect(json).not.toMatch(/s390|riscv|ppc64le/);
    expect(entriesFor(p, 'arch_prctl')[0]?.includes).toEqual({ arches: ['amd64', 'x32'] });
  });

  it('is small enough for an inline security option', () => {
    expect(seccompToJson(p).length).toBeLessThan(8000);
  });
});

describe('buildSeccompProfile options', () => {
  it('resolves capability groups for the capabilities the container keeps', () => {
    const p = buildSeccompProfile({ capabilities: ['SYS_ADMIN', 'CAP_SYS_PTRACE'] });
    const always = alwaysAllowed(p);
    for (const name of ['mount', 'bpf', 'clone', 'clone3', 'unshare', 'ptrace', 'kcmp'])
      expect(always.has(name)).toBe(true);
    expect(entriesFor(p, 'clone')).toHaveLength(1);
    expect(entriesFor(p, 'clone3')).toHaveLength(1);
    expect(entriesFor(p, 'ptrace')).toHaveLength(1);
    expect(alwaysAllowed(buildSeccompProfile({ capabilities: ['SYS_CHROOT'] })).has('chroot')).toBe(true);
  });

  it('targets one architecture: aarch64 drops arch_prctl and modify_ldt, x86_64 drops the ARM calls', () => {
    const arm = buildSeccompProfile({ architectures: ['aarch64'] });
    expect(arm.archMap).toEqual([{ architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] }]);
    expect(allowedSyscalls(arm).has('arch_prctl')).toBe(false);
    expect(allowedSyscalls(arm).has('set_tls')).toBe(true);
    const x86 = buildSeccompProfile({ architectures: ['x86_64'] });
    expect(allowedSyscalls(x86).has('set_tls')).toBe(false);
    expect(allowedSyscalls(x86).has('modify_ldt')).toBe(true);
  });

  it('remove refuses a name everywhere, including its argument-filtered and refusing entries', () => {
    const p = buildSeccompProfile({ remove: ['personality', 'socket', 'clone3', 'ptrace', 'mkdirat'] });
    for (const name of ['personality', 'socket', 'clone3', 'ptrace', 'mkdirat'])
      expect(entriesFor(p, name)).toEqual([]);
    expect(allowedSyscalls(p).has('process_vm_readv')).toBe(true);
  });

  it('add allows a name unconditionally and replaces its conditional entries', () => {
    const p = buildSeccompProfile({ add: ['mount', 'clone3', 'socket'] });
    for (const name of ['mount', 'clone3', 'socket']) {
      expect(entriesFor(p, name)).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
      expect(entriesFor(p, name).every(isPlain)).toBe(true);
    }
    expect(validateSeccompProfile(p)).toMatchObject({ ok: true });
  });

  it('round-trips: removing then adding a name gives back the default, as JSON', () => {
    const base = seccompToJson(buildSeccompProfile());
    const removed = buildSeccompProfile({ remove: ['uname'] });
    expect(allowedSyscalls(removed).has('uname')).toBe(false);
    expect(seccompToJson(buildSeccompProfile({ add: ['uname'] }))).toBe(base);
    expect(seccompToJson(mergeSeccompProfiles(removed, buildSeccompProfile()))).toBe(base);
  });

  it('uses the errno asked for', () => {
    expect(buildSeccompProfile({ errnoRet: 38 }).defaultErrnoRet).toBe(38);
  });

  it('throws an InputError naming the option and the unknown syscall, with a suggestion', () => {
    const e = thrown(() =>
      buildSeccompProfile({ add: ['read', 'mkdirt'], remove: ['frobnicate_everything'] }),
    );
    expect(e.message).toMatchSnapshot();
    expect(e.paths).toEqual(['add[1]', 'remove[0]']);
  });

  it('throws for a name both added and removed, an unknown architecture, a bad errno or capability', () => {
    const e = thrown(() =>
      buildSeccompProfile({
        add: ['uname'],
        remove: ['uname'],
        architectures: ['riscv64' as never],
        errnoRet: 0,
        capabilities: ['SYS_WIZARD'],
      }),
    );
    expect(e.message).toMatchSnapshot();
  });
});

describe('seccompToJson', () => {
  it('gives the same string for a profile with shuffled names, entries and arguments', () => {
    const p = buildSeccompProfile();
    const json = seccompToJson(p);
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        let s = seed;
        const rand = () => {
          s = (s * 1103515245 + 12345) % 2 ** 31;
          return s / 2 ** 31;
        };
        const shuffle = <T>(xs: T[]): T[] =>
          xs
            .map((x) => [rand(), x] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, x]) => x);
        const shuffled: SeccompProfile = {
          ...p,
          archMap: shuffle(p.archMap ?? []).map((m) => ({
            ...m,
            subArchitectures: shuffle(m.subArchitectures),
          })),
          syscalls: shuffle(p.syscalls ?? []).map((e) => ({ ...e, names: shuffle(e.names) })),
        };
        expect(seccompToJson(shuffled)).toBe(json);
      }),
      { numRuns: 30 },
    );
  });

  it('merges entries that differ only in names and is idempotent', () => {
    const p: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        { names: ['write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [] },
      ],
    };
    const json = seccompToJson(p);
    expect(json).toBe(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}',
    );
    expect(seccompToJson(JSON.parse(json))).toBe(json);
  });

  it('wraps the JSON as a seccomp= security option, and refuses an invalid profile', () => {
    const p = buildSeccompProfile();
    expect(seccompSecurityOpt(p)).toBe(`seccomp=${seccompToJson(p)}`);
    const e = thrown(() => seccompSecurityOpt({ ...p, defaultAction: 'SCMP_ACT_ALLOW' }));
    expect(e.message).toMatchSnapshot();
  });
});

describe('allowedSyscalls and mergeSeccompProfiles', () => {
  it('counts conditional allows but not refusing entries', () => {
    const allowed = allowedSyscalls(buildSeccompProfile());
    expect(allowed.has('socket')).toBe(true);
    expect(allowed.has('ptrace')).toBe(true);
    expect(allowed.has('clone3')).toBe(false);
  });

  it('refuses to list allowed calls of a default-allow profile', () => {
    expect(() => allowedSyscalls({ defaultAction: 'SCMP_ACT_ALLOW' })).toThrow(InputError);
  });

  it('merges to the union of allowed calls', () => {
    const a = buildSeccompProfile({ remove: ['uname', 'personality'] });
    const b = buildSeccompProfile({ remove: ['mkdirat'], add: ['clone3'] });
    const m = mergeSeccompProfiles(a, b);
    expect(validateSeccompProfile(m)).toMatchObject({ ok: true });
    for (const name of ['uname', 'mkdirat', 'clone3', 'personality'])
      expect(allowedSyscalls(m).has(name)).toBe(true);
    expect(entriesFor(m, 'clone3')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    expect(entriesFor(m, 'clone3').every(isPlain)).toBe(true);
  });

  it('refuses to merge profiles for different architectures', () => {
    const e = thrown(() =>
      mergeSeccompProfiles(
        buildSeccompProfile({ architectures: ['x86_64'] }),
        buildSeccompProfile({ architectures: ['aarch64'] }),
      ),
    );
    expect(e.message).toMatchSnapshot();
  });

  it('refuses to merge an invalid profile, saying which one', () => {
    expect(() => mergeSeccompProfiles(buildSeccompProfile(), { defaultAction: 'SCMP_ACT_LOG' })).toThrow(
      /the second seccomp profile is invalid:\n {2}defaultAction: SCMP_ACT_LOG/,
    );
  });
});

describe('properties', () => {
  const names = [...KNOWN_SYSCALLS];
  const nameSet = fc.uniqueArray(fc.constantFrom(...names), { maxLength: 12 });
  const defaults = allowedSyscalls(buildSeccompProfile({ architectures: ['x86_64'] }));

  it('random add/remove sets always give a valid profile allowing exactly (default ∪ add) \\ remove', () => {
    fc.assert(
      fc.property(nameSet, nameSet, (add, rawRemove) => {
        const remove = rawRemove.filter((n) => !add.includes(n));
        const p = buildSeccompProfile({ add, remove, architectures: ['x86_64'] });
        const result = validateSeccompProfile(seccompToJson(p));
        expect(result.ok).toBe(true);
        // The only warnings: each added name Docker keeps for containers with a capability.
        const gated = new Set(CAPABILITY_GATED.map((g) => g.name));
        const warned = result.ok
          ? result.warnings.map((w) => [w.kind, /allows ([a-z0-9_]+),/.exec(w.message)?.[1]])
          : [];
        expect(warned.sort()).toEqual(
          add
            .filter((n) => gated.has(n))
            .sort()
            .map((n) => ['dangerous', n]),
        );
        const expected = new Set([...defaults, ...add].filter((n) => !remove.includes(n)));
        expect([...allowedSyscalls(p)].sort()).toEqual([...expected].sort());
        for (const n of add) expect(alwaysAllowed(p).has(n)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('merging two built profiles is valid and allows the union', () => {
    fc.assert(
      fc.property(nameSet, nameSet, (removeA, removeB) => {
        const a = buildSeccompProfile({ remove: removeA });
        const b = buildSeccompProfile({ remove: removeB });
        const m = mergeSeccompProfiles(a, b);
        expect(validateSeccompProfile(m)).toMatchObject({ ok: true });
        const union = new Set([...allowedSyscalls(a), ...allowedSyscalls(b)]);
        expect([...allowedSyscalls(m)].sort()).toEqual([...union].sort());
      }),
      { numRuns: 60 },
    );
  });
});
