import type { MountSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

const bind = (source: string, extra: Partial<MountSpec> = {}): MountSpec => ({
  type: 'bind',
  source,
  target: '/data',
  readOnly: true,
  ...extra,
});

describe('no-docker-socket', () => {
  const id = 'no-docker-socket';
  it('passes the compliant fixture and an application bind', () => {
    expectPass(id, container());
    expectPass(id, container({ mounts: [bind('/srv/app/data')] }));
  });
  it.each([
    '/var/run/docker.sock',
    '/run/docker.sock',
    '//var/run/../run/docker.sock',
    '/run/containerd/containerd.sock',
    '/var/run',
    '/run/user/1000/podman/podman.sock',
  ])('fails when a bind mounts %s, without echoing the path', (source) => {
    const [msg] = expectFail(id, container({ mounts: [bind(source)] }), 'mounts[0].source');
    expect(msg).toBe("mounts the container engine's API socket");
  });
  it("fails for Docker Desktop's Windows named pipe, in any case", () => {
    for (const source of ['\\\\.\\pipe\\docker_engine', '\\\\?\\PIPE\\Docker_Engine']) {
      expectFail(id, container({ mounts: [bind(source, { type: 'npipe' })] }), 'mounts[0].source');
    }
    expectPass(id, container({ mounts: [bind('\\\\.\\pipe\\other_engine', { type: 'npipe' })] }));
  });
  it('fails for a read-only socket mount too', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/var/run/docker.sock', { readOnly: true })] }),
      'mounts[0].source',
    ));
  it('treats an absolute source with an unknown type as a bind', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/var/run/docker.sock', { type: UNKNOWN })] }),
      'mounts[0].source',
    ));
  it('ignores a named volume called like a socket', () =>
    expectPass(id, container({ mounts: [{ type: 'volume', source: 'docker.sock', target: '/x' }] })));
  it('is unknown when mounts or a source are unknown', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    expectUnknown(id, container({ mounts: [bind('/srv'), bind('x', { source: UNKNOWN })] }), 'mounts[1]');
  });
});

describe('no-sensitive-mounts', () => {
  const id = 'no-sensitive-mounts';
  it('passes the compliant fixture and application binds', () => {
    expectPass(id, container());
    expectPass(id, container({ mounts: [bind('/srv/data'), bind('/etc/ssl/certs'), bind('/var/lib/app')] }));
  });
  it.each([
    '/',
    '/etc',
    '/etc/',
    '/proc',
    '/sys/fs/cgroup',
    '/boot',
    '/usr',
    '/dev',
    '/var/lib/docker/volumes',
    '/root/.ssh',
    '/etc/shadow',
  ])('fails when a bind mounts %s', (source) => {
    const [msg] = expectFail(
      id,
      container({ mounts: [bind(source, { readOnly: false })] }),
      'mounts[0].source',
    );
    expect(msg).toBe('mounts a sensitive host directory read-write');
  });
  it('still fails a read-only sensitive mount, saying so without the path', () => {
    const [msg] = expectFail(id, container({ mounts: [bind('/etc')] }), 'mounts[0].source');
    expect(msg).toBe('mounts a sensitive host directory');
  });
  it('is unknown when a source is unknown', () =>
    expectUnknown(id, container({ mounts: [bind('x', { source: UNKNOWN })] }), 'mounts[0]'));
});

describe('no-shared-propagation', () => {
  const id = 'no-shared-propagation';
  it('passes the compliant fixture and rprivate/rslave', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({
        mounts: [bind('/srv', { propagation: 'rprivate' }), bind('/x', { propagation: 'rslave' })],
      }),
    );
  });
  it.each(['shared', 'rshared', 'RSHARED'])(
    'fails when propagation is %s',
    (propagation) =>
      void expectFail(
        id,
        container({ mounts: [bind('/srv'), bind('/srv', { propagation })] }),
        'mounts[1].propagation',
      ),
  );
  it('is unknown when propagation is unknown', () =>
    expectUnknown(
      id,
      container({ mounts: [bind('/srv', { propagation: UNKNOWN })] }),
      'mounts[0].propagation',
    ));
  it('passes a container without mounts', () => expectPass(id, container({ mounts: undefined })));
  it('is unknown when the mount list is not known yet, or for an entry that is no mount', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    // Outside the model's types (hand-built or adversarial specs); it may hide any propagation.
    expectUnknown(id, container({ mounts: [bind('/srv'), UNKNOWN as never] }), 'mounts[1]');
  });
  it('reads the propagation mode without surrounding blanks', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/srv', { propagation: ' rshared ' })] }),
      'mounts[0].propagation',
    ));
});

describe('bind-mounts-read-only', () => {
  const id = 'bind-mounts-read-only';
  it('is unknown for unknown mounts, an entry that may be a bind, or an unknown read-only flag', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    expectUnknown(id, container({ mounts: [{ type: UNKNOWN, source: UNKNOWN, target: '/d' }] }), 'mounts[0]');
    expectUnknown(id, container({ mounts: [bind('/srv', { readOnly: UNKNOWN })] }), 'mounts[0].readOnly');
  });
  it('passes the compliant fixture, read-only binds and writable named volumes', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({
        mounts: [bind('/srv'), { type: 'volume', source: 'data', target: '/d', readOnly: false }],
      }),
    );
  });
  it('fails when a bind is writable or read_only is absent', () => {
    expectFail(id, container({ mounts: [bind('/srv', { readOnly: false })] }), 'mounts[0].readOnly');
    expectFail(
      id,
      container({ mounts: [{ type: 'bind', source: '/srv', target: '/d' }] }),
      'mounts[0].readOnly',
    );
  });
  it('is unknown when read_only is unknown', () =>
    expectUnknown(id, container({ mounts: [bind('/srv', { readOnly: UNKNOWN })] }), 'mounts[0].readOnly'));
});

describe('no-host-devices', () => {
  const id = 'no-host-devices';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails for each mapped device', () =>
    void expectFail(
      id,
      container({ devices: [{ hostPath: '/dev/kvm' }, { hostPath: '/dev/fuse' }] }),
      'devices[0]',
      'devices[1]',
    ));
  it('fails for a device cgroup rule and for gpus', () =>
    void expectFail(
      id,
      container({ deviceCgroupRules: ['c 10:200 rwm'], gpus: 'all' }),
      'deviceCgroupRules[0]',
      'gpus',
    ));
  it('fails even when the device path is unknown, since a device is mapped', () =>
    void expectFail(id, container({ devices: [{ hostPath: UNKNOWN }] }), 'devices[0]'));
  it('is unknown when devices are unknown', () =>
    expectUnknown(id, container({ devices: UNKNOWN }), 'devices'));
  it('passes for a swarm service, which cannot map devices', () =>
    expectPass(id, container({}, ['devices'])));
  it('is unknown for unknown device cgroup rules or gpus, and passes blank gpus', () => {
    expectUnknown(
      id,
      container({ deviceCgroupRules: UNKNOWN, gpus: UNKNOWN as never }),
      'deviceCgroupRules',
      'gpus',
    );
    expectPass(id, container({ gpus: '  ' }));
  });
});
