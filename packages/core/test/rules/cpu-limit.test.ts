import { UNKNOWN } from '../../src/model/value.js';
import { cpuLimit } from '../../src/rules/cpu-limit.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(cpuLimit, {
  mutations: [
    exampleMutation(cpuLimit),
    {
      name: 'passes a quota with a period instead of cpus',
      set: { nanoCpus: undefined, cpuQuota: 50_000, cpuPeriod: 100_000 },
    },
    { name: 'is unknown when cpus is unknown', set: { nanoCpus: UNKNOWN }, unknown: 'nanoCpus' },
  ],
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
