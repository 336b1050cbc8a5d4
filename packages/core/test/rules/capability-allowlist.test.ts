import { UNKNOWN } from '../../src/model/value.js';
import { capabilityAllowlist } from '../../src/rules/capability-allowlist.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(capabilityAllowlist, {
  mutations: [
    exampleMutation(capabilityAllowlist),
    { name: 'passes an add of NET_BIND_SERVICE', set: { capAdd: ['CAP_NET_BIND_SERVICE'] } },
    {
      name: 'fails a capability name that is not real, without echoing it',
      set: { capAdd: ['MY_CUSTOM_THING'] },
      fails: 'capAdd[0]',
    },
  ],
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

describe('runtime rules: the rarer inputs', () => {
  it('capability-allowlist: an added capability that is not known yet is unknown at its index', () =>
    expectUnknown('capability-allowlist', container({ capAdd: ['NET_BIND_SERVICE', UNKNOWN] }), 'capAdd[1]'));
});
