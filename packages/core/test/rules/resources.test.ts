import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

const MB = 1024 * 1024;

describe('memory-limit', () => {
  const id = 'memory-limit';
  it('passes the compliant fixture (swap equal to memory)', () => expectPass(id, container()));
  it('passes when swap is not set', () => expectPass(id, container({ memorySwap: undefined })));
  it('fails when memory is absent or 0', () => {
    expectFail(id, container({ memory: undefined }), 'memory');
    expectFail(id, container({ memory: 0 }), 'memory');
  });
  it('fails when swap is above memory', () =>
    void expectFail(id, container({ memory: 256 * MB, memorySwap: 512 * MB }), 'memorySwap'));
  it('fails when swap is unlimited (-1)', () =>
    void expectFail(id, container({ memorySwap: -1 }), 'memorySwap'));
  it('is unknown when memory is unknown', () => expectUnknown(id, container({ memory: UNKNOWN }), 'memory'));
  it('is unknown when swap is unknown', () =>
    expectUnknown(id, container({ memorySwap: UNKNOWN }), 'memorySwap'));
  it('reports plainly that a resource type without memory limits cannot be limited', () => {
    const [msg] = expectFail(id, container({}, ['memory']), 'memory');
    expect(msg).toMatch(/^a swarm service cannot set a memory limit/);
  });
});

describe('cpu-limit', () => {
  const id = 'cpu-limit';
  it('passes the compliant fixture (nanoCpus)', () => expectPass(id, container()));
  it('passes with a CFS quota instead', () =>
    expectPass(id, container({ nanoCpus: undefined, cpuQuota: 50_000, cpuPeriod: 100_000 })));
  it('fails when no CPU limit is set', () =>
    void expectFail(id, container({ nanoCpus: undefined }), 'nanoCpus'));
  it('fails when only cpu shares are set, saying shares are a weight and not a limit', () => {
    const [msg] = expectFail(id, container({ nanoCpus: undefined, cpuShares: 512 }), 'cpuShares');
    expect(msg).toBe('sets only CPU shares, a relative weight and not a limit');
  });
  it('is unknown when nanoCpus is unknown and no quota proves a limit', () =>
    expectUnknown(id, container({ nanoCpus: UNKNOWN }), 'nanoCpus'));
  it('passes when nanoCpus is unknown but a quota is set', () =>
    expectPass(id, container({ nanoCpus: UNKNOWN, cpuQuota: 50_000 })));
  it('fails a zero or negative limit, and zero shares, as no limit', () => {
    expectFail(id, container({ nanoCpus: 0 }), 'nanoCpus');
    expectFail(id, container({ nanoCpus: undefined, cpuQuota: 0 }), 'nanoCpus');
    expectFail(id, container({ nanoCpus: undefined, cpuQuota: -1 }), 'nanoCpus');
    expectFail(id, container({ nanoCpus: undefined, cpuShares: 0 }), 'nanoCpus');
  });
  it('is unknown when the quota is not known yet and nothing else limits', () =>
    expectUnknown(id, container({ nanoCpus: undefined, cpuQuota: UNKNOWN }), 'cpuQuota'));
  it('reports plainly that a resource type without CPU limits cannot be limited', () => {
    const [msg] = expectFail(id, container({}, ['nanoCpus']), 'nanoCpus');
    expect(msg).toBe(
      'a swarm service cannot set a CPU limit; run it as a container or accept the gap with an exemption',
    );
  });
});

describe('pids-limit', () => {
  const id = 'pids-limit';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when pids_limit is absent, 0 or -1', () => {
    expectFail(id, container({ pidsLimit: undefined }), 'pidsLimit');
    expectFail(id, container({ pidsLimit: 0 }), 'pidsLimit');
    expectFail(id, container({ pidsLimit: -1 }), 'pidsLimit');
  });
  it('is unknown when pids_limit is unknown', () =>
    expectUnknown(id, container({ pidsLimit: UNKNOWN }), 'pidsLimit'));

  describe('for a Pulumi docker.Container, which cannot set a PIDs limit', () => {
    const pulumi = (o: Parameters<typeof container>[0] = {}) => {
      const spec = container({ pidsLimit: undefined, ...o });
      spec.source.cannotExpress = new Set(['pidsLimit']);
      return spec;
    };
    it('passes with an nproc ulimit and a numeric non-root uid (the documented workaround)', () =>
      expectPass(id, pulumi()));
    it('fails without an nproc ulimit, explaining the gap', () => {
      const [msg] = expectFail(id, pulumi({ ulimits: [{ name: 'nofile', soft: 1, hard: 1 }] }), 'ulimits');
      expect(msg).toContain('cannot set a PIDs limit');
      expect(msg).toContain('nproc ulimit');
    });
    it('fails when the user is a name or root, since nproc counts per uid', () => {
      expectFail(id, pulumi({ user: 'app' }), 'user');
      expectFail(id, pulumi({ user: '0:0' }), 'user');
      expectFail(id, pulumi({ user: undefined }), 'user');
    });
    it('fails when the nproc ulimit is unbounded', () =>
      void expectFail(id, pulumi({ ulimits: [{ name: 'nproc', soft: -1, hard: -1 }] }), 'ulimits[0]'));
    it('is unknown when the user or the ulimits are unknown', () => {
      expectUnknown(id, pulumi({ user: UNKNOWN }), 'user');
      expectUnknown(id, pulumi({ ulimits: UNKNOWN }), 'ulimits');
    });
  });
});

describe('ulimits-set', () => {
  const id = 'ulimits-set';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails for each missing ulimit', () => {
    expectFail(id, container({ ulimits: undefined }), 'ulimits', 'ulimits');
    expectFail(id, container({ ulimits: [{ name: 'NOFILE', soft: 10, hard: 10 }] }), 'ulimits');
  });
  it('fails when a ulimit is unbounded', () =>
    void expectFail(
      id,
      container({
        ulimits: [
          { name: 'nofile', soft: 1024, hard: 1024 },
          { name: 'nproc', soft: -1, hard: -1 },
        ],
      }),
      'ulimits[1]',
    ));
  it('is unknown when ulimits are unknown', () =>
    expectUnknown(id, container({ ulimits: UNKNOWN }), 'ulimits'));
  it('is unknown when a limit value is unknown', () =>
    expectUnknown(
      id,
      container({
        ulimits: [
          { name: 'nofile', soft: UNKNOWN, hard: 1024 },
          { name: 'nproc', soft: 1, hard: 1 },
        ],
      }),
      'ulimits',
    ));
  it('fails a swarm service, which cannot set ulimits, saying so', () => {
    const [msg] = expectFail(id, container({}, ['ulimits']), 'ulimits');
    expect(msg).toContain('swarm service');
    expect(msg).toContain('ulimits');
  });
});
