import { UNKNOWN } from '../../src/model/value.js';
import { noPrivilegedGroups } from '../../src/rules/no-privileged-groups.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noPrivilegedGroups, {
  mutations: [exampleMutation(noPrivilegedGroups)],
});

describe('no-privileged-groups', () => {
  const id = 'no-privileged-groups';
  it('passes the compliant fixture and harmless supplementary groups', () => {
    expectPass(id, container());
    expectPass(id, container({ groupAdd: ['10002', 'audio'] }));
  });
  it('fails when the primary group is 0 (uid:0)', () =>
    void expectFail(id, container({ user: '10001:0' }), 'user'));
  it.each(['0', 'root', 'disk', 'docker', 'shadow'])('fails when group_add has %s', (g) => {
    expectFail(id, container({ groupAdd: ['10002', g] }), 'groupAdd[1]');
  });
  it('is unknown when group_add is unknown', () =>
    expectUnknown(id, container({ groupAdd: UNKNOWN }), 'groupAdd'));
  it('is unknown for one group_add entry that is not known yet', () =>
    expectUnknown(id, container({ groupAdd: ['10002', UNKNOWN] }), 'groupAdd[1]'));
  it('is unknown when the user (and so its primary group) is not known yet', () =>
    expectUnknown(id, container({ user: UNKNOWN }), 'user'));
  it('reads group names case-insensitively and without surrounding blanks (the safe side)', () => {
    expectFail(id, container({ user: '10001:Docker' }), 'user');
    expectFail(id, container({ groupAdd: [' docker '] }), 'groupAdd[0]');
  });
});
