import {
  buildSeccompProfile,
  type SeccompIssue,
  seccompToJson,
  validateSeccompProfile,
} from '../../src/seccomp/index.js';

/** The errors of an invalid profile as `path: message` lines (what a user reads). */
function errorsOf(input: unknown): string[] {
  const result = validateSeccompProfile(input);
  if (result.ok) throw new Error('expected the profile to be invalid');
  return result.errors.map((e: SeccompIssue) => `${e.path}: ${e.message}`);
}

const valid = () => ({
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: 1,
  architectures: ['SCMP_ARCH_X86_64'],
  syscalls: [
    { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
    { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] },
  ],
});

describe('validateSeccompProfile', () => {
  it('accepts a default-deny profile given as an object or as a JSON string', () => {
    expect(validateSeccompProfile(valid())).toMatchObject({ ok: true, warnings: [] });
    expect(validateSeccompProfile(JSON.stringify(valid()))).toMatchObject({ ok: true, profile: valid() });
  });

  it("accepts Docker's null and empty fields (args: null, subArchitectures: null, includes: {})", () => {
    const p = {
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [{ architecture: 'SCMP_ARCH_RISCV64', subArchitectures: null }],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW', args: null, includes: {}, excludes: {}, comment: '' },
      ],
    };
    expect(validateSeccompProfile(p)).toMatchObject({ ok: true });
  });

  it("accepts every builder output, and the builder's JSON", () => {
    const p = buildSeccompProfile();
    expect(validateSeccompProfile(p)).toMatchObject({ ok: true, warnings: [] });
    expect(validateSeccompProfile(seccompToJson(p))).toMatchObject({ ok: true, profile: p });
  });

  it('fails defaultAction SCMP_ACT_ALLOW with the fix', () => {
    expect(errorsOf({ ...valid(), defaultAction: 'SCMP_ACT_ALLOW' })).toMatchSnapshot();
  });

  it('fails SCMP_ACT_LOG and SCMP_ACT_TRACE as default actions: they are not refusals', () => {
    expect(errorsOf({ ...valid(), defaultAction: 'SCMP_ACT_LOG' })).toMatchSnapshot();
    expect(errorsOf({ ...valid(), defaultAction: 'SCMP_ACT_TRACE' })[0]).toMatch(
      /^defaultAction: SCMP_ACT_TRACE/,
    );
  });

  it('accepts every kill variant and SCMP_ACT_TRAP as default actions', () => {
    for (const a of ['SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_TRAP']) {
      const { defaultErrnoRet: _, ...p } = valid();
      expect(validateSeccompProfile({ ...p, defaultAction: a })).toMatchObject({ ok: true });
    }
  });

  it('still reports a permissive default action when the rest is malformed too', () => {
    expect(errorsOf({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: 'read' })).toMatchSnapshot();
  });

  it('names each bad field by path: action, op, index, value, arches, caps, names, unknown keys', () => {
    const p = valid() as Record<string, unknown>;
    p.syscalls = [
      { names: ['read'], action: 'SCMP_ACT_ALLOW' },
      { names: ['read', 'Bad Name', ''], action: 'SCMP_ACT_ALLOW' },
      { names: [], action: 'SCMP_ACT_ALLOW' },
      { names: ['write'], action: 'SCMP_ACT_FOO' },
      {
        names: ['socket'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 6, value: -1, op: 'SCMP_CMP_SAME' }],
        includes: { arches: ['x86_64'], caps: ['SYS_ADMIN', 'CAP_NOPE'], minKernel: 'four' },
      },
      { name: 'read', action: 'SCMP_ACT_ALLOW' },
    ];
    p.architectures = ['SCMP_ARCH_X86_64', 'x86_64'];
    p.defaultErrnoRet = 1.5;
    p.sycalls = [];
    expect(errorsOf(p)).toMatchSnapshot();
  });

  it('reports JSON syntax errors by position without quoting the input', () => {
    const [error] = errorsOf(
      '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"] "action": 1}]}',
    );
    expect(error).toMatchSnapshot();
    expect(error).not.toContain('names');
  });

  it('rejects a non-object with an example of the expected shape', () => {
    expect(errorsOf('[]')).toMatchSnapshot();
    expect(errorsOf(42)).toEqual(errorsOf('[]'));
  });

  it('requires defaultAction', () => {
    expect(errorsOf({ syscalls: [] })).toMatchSnapshot();
  });

  it('fails a syscall listed twice with different actions under the same conditions', () => {
    const p = valid();
    p.syscalls.push({ names: ['write'], action: 'SCMP_ACT_KILL' });
    expect(errorsOf(p)).toMatchSnapshot();
  });

  it('accepts the same name with different actions under different conditions, as Docker does for clone3', () => {
    const p = valid();
    p.syscalls.push(
      { names: ['clone3'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } } as never,
      {
        names: ['clone3'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: 38,
        excludes: { caps: ['CAP_SYS_ADMIN'] },
      } as never,
    );
    expect(validateSeccompProfile(p)).toMatchObject({ ok: true });
  });

  it('fails errnoRet on a non-errno action, defaultErrnoRet 0, both architectures and archMap, NOTIFY without a listener', () => {
    const p = {
      ...valid(),
      defaultErrnoRet: 0,
      archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: [] }],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW', errnoRet: 1 },
        { names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' },
      ],
    };
    expect(errorsOf(p)).toMatchSnapshot();
  });

  it('warns, without failing, about names Linux does not have (Docker ignores them)', () => {
    const p = valid();
    p.syscalls.push({ names: ['frobnicate'], action: 'SCMP_ACT_ALLOW' });
    expect(validateSeccompProfile(p)).toMatchObject({
      ok: true,
      warnings: [{ path: 'syscalls[2].names[0]', message: '"frobnicate" is not a known Linux syscall' }],
    });
  });

  it('quotes at most 40 characters of a bad value and never the profile', () => {
    const long = 'SCMP_ACT_'.padEnd(5000, 'X');
    const errors = errorsOf({ ...valid(), syscalls: [{ names: ['read'], action: long }] });
    expect(errors.join('\n').length).toBeLessThan(400);
    expect(errors[0]).toContain('"SCMP_ACT_XXXXXXXXXXXXXXXXXXXXXXXXXXXX..."');
  });
});
