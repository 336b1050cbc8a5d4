import { UNKNOWN } from '../../src/model/value.js';
import { dropAllCapabilities } from '../../src/rules/drop-all-capabilities.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(dropAllCapabilities, {
  mutations: [
    exampleMutation(dropAllCapabilities),
    {
      name: 'fails when cap_drop lists only some capabilities',
      set: { capDrop: ['NET_RAW', 'MKNOD'] },
      fails: 'capDrop',
    },
    { name: 'accepts all in lower case', set: { capDrop: ['all'] } },
    { name: 'is unknown when cap_drop is unknown', set: { capDrop: UNKNOWN }, unknown: 'capDrop' },
  ],
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
