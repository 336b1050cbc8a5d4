import { UNKNOWN } from '../../src/model/value.js';
import { noCgroupParent } from '../../src/rules/no-cgroup-parent.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noCgroupParent, {
  mutations: [exampleMutation(noCgroupParent), { name: 'passes an empty parent', set: { cgroupParent: '' } }],
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

describe('no-cgroup-parent: a blank parent', () => {
  it('passes a cgroup parent that is only spaces (the engine default)', () =>
    expectPass('no-cgroup-parent', container({ cgroupParent: '   ' })));
});
