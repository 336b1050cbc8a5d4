import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describe.each([
  ['no-host-network', 'networkMode', 'network'],
  ['no-host-pid', 'pidMode', 'PID'],
  ['no-host-ipc', 'ipcMode', 'IPC'],
  ['no-host-uts', 'utsMode', 'UTS'],
  ['no-host-userns', 'usernsMode', 'user'],
] as const)('%s', (id, field, what) => {
  it('passes the compliant fixture', () => expectPass(id, container()));
  it(`fails when ${field} is host (any case), naming the ${what} namespace`, () => {
    expect(expectFail(id, container({ [field]: 'host' }), field)).toEqual([
      `shares the host's ${what} namespace`,
    ]);
    expectFail(id, container({ [field]: ' HOST ' }), field);
  });
  it(`passes when ${field} shares another container's namespace or is private`, () => {
    expectPass(id, container({ [field]: 'container:db' }));
    expectPass(id, container({ [field]: 'private' }));
  });
  it(`is unknown when ${field} is unknown`, () => expectUnknown(id, container({ [field]: UNKNOWN }), field));
  it('passes for a resource type that cannot share the namespace at all', () =>
    expectPass(id, container({}, [field])));
});

describe('no-host-cgroupns', () => {
  const id = 'no-host-cgroupns';
  it('passes the compliant fixture (private)', () => expectPass(id, container()));
  it('fails when cgroupns is host (any case), or neither private nor host, saying which', () => {
    expect(expectFail(id, container({ cgroupnsMode: ' Host ' }), 'cgroupnsMode')).toEqual([
      "shares the host's cgroup namespace",
    ]);
    expect(expectFail(id, container({ cgroupnsMode: 'shared' }), 'cgroupnsMode')).toEqual([
      'the cgroup namespace mode is neither private nor host',
    ]);
    expectPass(id, container({ cgroupnsMode: ' PRIVATE ' }));
  });
  it('fails when cgroupns is unset, because the cgroup v1 default is host', () => {
    const [msg] = expectFail(id, container({ cgroupnsMode: undefined }), 'cgroupnsMode');
    expect(msg).toContain('cgroup v1');
  });
  it('is unknown when cgroupns is unknown', () =>
    expectUnknown(id, container({ cgroupnsMode: UNKNOWN }), 'cgroupnsMode'));
  it('reports the gap for a swarm service', () =>
    expect(expectFail(id, container({}, ['cgroupnsMode']), 'cgroupnsMode')).toEqual([
      'a swarm service cannot set the cgroup namespace mode; run it as a container or accept the gap with an exemption',
    ]));
});

describe('no-cgroup-parent', () => {
  const id = 'no-cgroup-parent';
  it('passes the compliant fixture and an empty value', () => {
    expectPass(id, container());
    expectPass(id, container({ cgroupParent: '' }));
  });
  it('fails when cgroup_parent is set', () =>
    void expectFail(id, container({ cgroupParent: '/system.slice' }), 'cgroupParent'));
  it('is unknown when cgroup_parent is unknown', () =>
    expectUnknown(id, container({ cgroupParent: UNKNOWN }), 'cgroupParent'));
});

describe('read-only-rootfs', () => {
  const id = 'read-only-rootfs';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when read_only is false', () =>
    void expectFail(id, container({ readOnlyRootfs: false }), 'readOnlyRootfs'));
  it('fails when read_only is absent', () =>
    void expectFail(id, container({ readOnlyRootfs: undefined }), 'readOnlyRootfs'));
  it('is unknown when read_only is unknown', () =>
    expectUnknown(id, container({ readOnlyRootfs: UNKNOWN }), 'readOnlyRootfs'));
  it('reports the gap for a resource type without it', () =>
    void expectFail(id, container({}, ['readOnlyRootfs']), 'readOnlyRootfs'));
});

describe('tmpfs-hardened', () => {
  const id = 'tmpfs-hardened';
  it('passes the compliant fixture and options in any order', () => {
    expectPass(id, container());
    expectPass(id, container({ tmpfs: { '/run': 'nodev,nosuid,size=1m,noexec' } }));
  });
  it('passes when there is no tmpfs', () => expectPass(id, container({ tmpfs: undefined })));
  it('fails when a tmpfs has no size, naming what is missing', () => {
    expect(expectFail(id, container({ tmpfs: { '/tmp': 'noexec,nosuid,nodev' } }), 'tmpfs["/tmp"]')).toEqual([
      'tmpfs mount lacks size',
    ]);
  });
  it('fails when a tmpfs has no options at all', () => {
    expect(expectFail(id, container({ tmpfs: { '/tmp': '' } }), 'tmpfs["/tmp"]')).toEqual([
      'tmpfs mount lacks size, noexec, nosuid, nodev',
    ]);
  });
  it('fails when a later exec overrides noexec', () =>
    void expectFail(
      id,
      container({ tmpfs: { '/tmp': 'size=1m,noexec,nosuid,nodev,exec' } }),
      'tmpfs["/tmp"]',
    ));
  it('passes when a later noexec overrides exec', () =>
    expectPass(id, container({ tmpfs: { '/tmp': 'exec,size=1m,noexec,nosuid,nodev' } })));
  it('fails each bad tmpfs separately', () =>
    void expectFail(
      id,
      container({ tmpfs: { '/a': 'size=1m,noexec,nosuid,nodev', '/b': 'size=0', '/c': 'rw' } }),
      'tmpfs["/b"]',
      'tmpfs["/c"]',
    ));
  it('is unknown when tmpfs is unknown, or for one unknown entry', () => {
    expectUnknown(id, container({ tmpfs: UNKNOWN }), 'tmpfs');
    expectUnknown(id, container({ tmpfs: { '/tmp': UNKNOWN } }), 'tmpfs["/tmp"]');
  });
  it.each(['size=0', 'size=', 'size=0k', 'size=00m', 'size=0%'])(
    'fails a tmpfs whose only flaw is an empty size (%s)',
    (size) =>
      void expect(
        expectFail(id, container({ tmpfs: { '/tmp': `noexec,nosuid,nodev,${size}` } }), 'tmpfs["/tmp"]'),
      ).toEqual(['tmpfs mount lacks size']),
  );
  it('reads options case-insensitively, without blanks or empty entries', () =>
    expectPass(id, container({ tmpfs: { '/tmp': ' NOEXEC , nosuid,,NODEV ,size=64M ' } })));
});

describe('no-cgroup-parent: a blank parent', () => {
  it('passes a cgroup parent that is only spaces (the engine default)', () =>
    expectPass('no-cgroup-parent', container({ cgroupParent: '   ' })));
});
