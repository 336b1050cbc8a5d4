import { UNKNOWN } from '../../src/model/value.js';
import { apparmorNotUnconfined } from '../../src/rules/apparmor-not-unconfined.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(apparmorNotUnconfined, {
  mutations: [
    exampleMutation(apparmorNotUnconfined),
    { name: 'passes without an apparmor option', set: { securityOpt: ['no-new-privileges:true'] } },
  ],
});

describe('apparmor-not-unconfined', () => {
  const id = 'apparmor-not-unconfined';
  it('passes the compliant fixture and a custom profile', () => {
    expectPass(id, container());
    expectPass(id, container({ securityOpt: ['apparmor=my-profile'] }));
  });
  it('leaves other options that say unconfined to their own rules', () =>
    expectPass(id, container({ securityOpt: ['seccomp=unconfined', 'label=unconfined'] })));
  it('reads the option case-insensitively', () =>
    void expectFail(id, container({ securityOpt: ['AppArmor = Unconfined'] }), 'securityOpt[0]'));
  it.each(['apparmor=unconfined', 'apparmor:unconfined'])(
    'fails when security_opt has %s',
    (opt) => void expectFail(id, container({ securityOpt: [opt] }), 'securityOpt[0]'),
  );
  it('is unknown when security_opt is unknown', () =>
    expectUnknown(id, container({ securityOpt: UNKNOWN }), 'securityOpt'));
});
