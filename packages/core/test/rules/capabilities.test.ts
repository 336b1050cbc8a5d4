import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown, outcomes } from './helpers.js';

describe('no-critical-capabilities', () => {
  const id = 'no-critical-capabilities';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when cap_add has SYS_ADMIN, naming the capability', () => {
    expect(expectFail(id, container({ capAdd: ['SYS_ADMIN'] }), 'capAdd[0]')).toEqual([
      'adds capability SYS_ADMIN',
    ]);
  });
  it('fails when cap_add has ALL', () => {
    expect(expectFail(id, container({ capAdd: ['ALL'] }), 'capAdd[0]')).toEqual(['adds ALL capabilities']);
  });
  it('recognizes CAP_ prefixes and lower case (cap_sys_module, Cap_Bpf)', () => {
    expectFail(
      id,
      container({ capAdd: ['NET_BIND_SERVICE', 'cap_sys_module', ' Cap_Bpf '] }),
      'capAdd[1]',
      'capAdd[2]',
    );
  });
  it.each(['SYS_PTRACE', 'DAC_READ_SEARCH', 'NET_ADMIN', 'SYS_RAWIO', 'PERFMON', 'SYS_BOOT'])(
    'fails when cap_add has %s',
    (cap) => void expectFail(id, container({ capAdd: [cap] }), 'capAdd[0]'),
  );
  it('passes a harmless add (NET_BIND_SERVICE, CHOWN)', () =>
    expectPass(id, container({ capAdd: ['NET_BIND_SERVICE', 'CHOWN'] })));
  it('is unknown when cap_add is unknown', () => expectUnknown(id, container({ capAdd: UNKNOWN }), 'capAdd'));
  it('is unknown at one unknown item but still fails a known critical one', () => {
    const spec = container({ capAdd: [UNKNOWN, 'SYS_ADMIN'] });
    expect(outcomes(id, spec).map((o) => [o.status, o.path])).toEqual([
      ['fail', 'capAdd[1]'],
      ['unknown', 'capAdd[0]'],
    ]);
  });
});

describe('drop-all-capabilities', () => {
  const id = 'drop-all-capabilities';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when cap_drop is absent', () =>
    void expectFail(id, container({ capDrop: undefined }), 'capDrop'));
  it('fails when cap_drop lists only some capabilities', () =>
    void expectFail(id, container({ capDrop: ['NET_RAW', 'MKNOD'] }), 'capDrop'));
  it('accepts all, CAP_ALL and lower case', () => {
    expectPass(id, container({ capDrop: ['all'] }));
    expectPass(id, container({ capDrop: ['CAP_ALL'] }));
  });
  it('is unknown when cap_drop is unknown', () =>
    expectUnknown(id, container({ capDrop: UNKNOWN }), 'capDrop'));
  it('is unknown when an unknown item could be ALL', () =>
    expectUnknown(id, container({ capDrop: ['NET_RAW', UNKNOWN] }), 'capDrop[1]'));
  it('passes when ALL is known even if another item is unknown', () =>
    expectPass(id, container({ capDrop: [UNKNOWN, 'ALL'] })));
  it('fails plainly for a resource type that cannot drop capabilities', () => {
    const [msg] = expectFail(id, container({}, ['capDrop']), 'capDrop');
    expect(msg).toBe(
      'a swarm service cannot set dropped capabilities; run it as a container or accept the gap with an exemption',
    );
  });
});

describe('capability-allowlist', () => {
  const id = 'capability-allowlist';
  it('passes the compliant fixture and an add of NET_BIND_SERVICE', () => {
    expectPass(id, container());
    expectPass(id, container({ capAdd: ['CAP_NET_BIND_SERVICE'] }));
  });
  it('fails when cap_add has CHOWN, which PSS restricted does not allow', () => {
    expect(expectFail(id, container({ capAdd: ['CHOWN'] }), 'capAdd[0]')).toEqual([
      'adds capability CHOWN outside the allowlist',
    ]);
  });
  it('does not echo a capability name that is not a real capability', () => {
    const [msg] = expectFail(id, container({ capAdd: ['MY_CUSTOM_THING'] }), 'capAdd[0]');
    expect(msg).not.toContain('MY_CUSTOM_THING');
  });
  it('is unknown when cap_add is unknown', () => expectUnknown(id, container({ capAdd: UNKNOWN }), 'capAdd'));
});

describe('no-net-raw', () => {
  const id = 'no-net-raw';
  it('passes the compliant fixture (drops ALL)', () => expectPass(id, container()));
  it('passes when NET_RAW itself is dropped', () => expectPass(id, container({ capDrop: ['net_raw'] })));
  it('fails when cap_add has NET_RAW even after dropping ALL', () =>
    void expectFail(id, container({ capAdd: ['NET_RAW'] }), 'capAdd[0]'));
  it('fails when cap_add has ALL, saying NET_RAW comes with it', () =>
    expect(expectFail(id, container({ capAdd: ['NET_BIND_SERVICE', 'CAP_ALL'] }), 'capAdd[1]')).toEqual([
      'adds ALL capabilities, NET_RAW included',
    ]));
  it('ignores other added capabilities and names NET_RAW when added', () => {
    expectPass(id, container({ capAdd: ['NET_BIND_SERVICE', 'CHOWN'] }));
    expect(expectFail(id, container({ capAdd: ['CHOWN', 'net_raw'] }), 'capAdd[1]')).toEqual([
      'adds capability NET_RAW',
    ]);
  });
  it("fails when NET_RAW is kept from Docker's default set", () =>
    void expectFail(id, container({ capDrop: ['MKNOD'] }), 'capDrop'));
  it('is unknown when cap_drop is unknown', () =>
    expectUnknown(id, container({ capDrop: UNKNOWN }), 'capDrop'));
  it('is unknown when cap_add is unknown after dropping ALL', () =>
    expectUnknown(id, container({ capAdd: UNKNOWN }), 'capAdd'));
  it('fails when the resource type cannot drop capabilities', () =>
    expect(expectFail(id, container({}, ['capDrop']), 'capDrop')).toEqual([
      'a swarm service cannot set dropped capabilities; run it as a container or accept the gap with an exemption',
    ]));
});
