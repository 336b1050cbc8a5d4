import fc from 'fast-check';
import { compareContainer, DRIFT_FIELDS, DRIFT_RULES, driftCatalog } from '../src/index.js';
import type { ContainerSpec } from '../src/model/spec.js';
import { Secret, UNKNOWN } from '../src/model/value.js';

const declared = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  source: { kind: 'stack-export', name: 'web', type: 'docker:index/container:Container' },
  user: '10001:10001',
  capDrop: ['ALL'],
  readOnlyRootfs: true,
  memory: 64 * 1024 * 1024,
  ...over,
});
/** What the engine reports for the same container: every default spelled out. */
const live = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  source: { kind: 'inspect', name: 'web', type: 'docker:container' },
  user: '10001:10001',
  privileged: false,
  capAdd: [],
  capDrop: ['CAP_ALL'.replace('CAP_', '')],
  readOnlyRootfs: true,
  memory: 64 * 1024 * 1024,
  memorySwap: 128 * 1024 * 1024,
  pidsLimit: 0,
  nanoCpus: 0,
  devices: [],
  ports: [],
  networkMode: 'bridge',
  ipcMode: 'private',
  cgroupnsMode: 'host',
  ...over,
});

describe('compareContainer (drift of one container)', () => {
  it('finds nothing when the engine reports the declared settings with its defaults spelled out', () => {
    expect(compareContainer(declared(), live())).toEqual([]);
  });

  it('fails on a memory limit changed by docker update', () => {
    expect(compareContainer(declared(), live({ memory: 256 * 1024 * 1024 }))).toEqual([
      { field: 'memory', status: 'fail' },
    ]);
  });

  it('fails on a capability added, whatever its spelling and order elsewhere', () => {
    expect(
      compareContainer(
        declared({ capAdd: ['net_bind_service'] }),
        live({ capAdd: ['CAP_NET_BIND_SERVICE'] }),
      ),
    ).toEqual([]);
    expect(compareContainer(declared(), live({ capAdd: ['NET_ADMIN'] }))).toEqual([
      { field: 'capAdd', status: 'fail' },
    ]);
  });

  it('fails on privileged, a host PID namespace and another user that were not declared', () => {
    const found = compareContainer(declared(), live({ privileged: true, pidMode: 'host', user: '0' }));
    expect(found.map((f) => f.field)).toEqual(['privileged', 'user', 'pidMode']);
  });

  it('fails on a mount added to a declared list of mounts, not on where an item came from', () => {
    const m = { type: 'bind' as const, source: '/srv/data', target: '/data', readOnly: true };
    expect(
      compareContainer(declared({ mounts: [{ ...m, origin: 'volumes[0]' }] }), live({ mounts: [m] })),
    ).toEqual([]);
    const extra = { type: 'bind' as const, source: '/', target: '/host' };
    expect(compareContainer(declared({ mounts: [m] }), live({ mounts: [m, extra] }))).toEqual([
      { field: 'mounts', status: 'fail' },
    ]);
  });

  it('compares secrets by value without needing to show them', () => {
    const opt = (v: string) => [new Secret(v)];
    expect(
      compareContainer(declared({ securityOpt: opt('seccomp=a') }), live({ securityOpt: opt('seccomp=a') })),
    ).toEqual([]);
    expect(
      compareContainer(declared({ securityOpt: opt('seccomp=a') }), live({ securityOpt: opt('seccomp=b') })),
    ).toEqual([{ field: 'securityOpt', status: 'fail' }]);
  });

  it('says unknown, never equal, when the declared value is not known yet', () => {
    expect(compareContainer(declared({ memory: UNKNOWN }), live())).toEqual([
      { field: 'memory', status: 'unknown' },
    ]);
  });

  it('finds nothing between any spec and itself (property)', () => {
    const fields = Object.keys(DRIFT_FIELDS);
    const value = fc.oneof(
      fc.boolean(),
      fc.integer({ min: -1, max: 1 << 30 }),
      fc.string({ maxLength: 8 }),
      fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), value), (settings) => {
        const spec = { ...declared(), ...settings } as ContainerSpec;
        expect(compareContainer(spec, { ...spec, source: live().source })).toEqual([]);
      }),
    );
  });

  it('holds the four drift kinds in a catalog of their own', () => {
    expect(driftCatalog.rules.map((r) => r.id)).toEqual(Object.values(DRIFT_RULES).map((r) => r.id));
  });
});
