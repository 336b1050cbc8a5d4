import { Secret, UNKNOWN } from '../../src/model/value.js';
import { seccompNotUnconfined } from '../../src/rules/seccomp-not-unconfined.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(seccompNotUnconfined, {
  mutations: [exampleMutation(seccompNotUnconfined)],
});

const NNP = 'no-new-privileges:true';

describe('seccomp-not-unconfined', () => {
  const id = 'seccomp-not-unconfined';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it.each(['seccomp=unconfined', 'seccomp:unconfined', 'SECCOMP = Unconfined'])(
    'fails when security_opt has %s',
    (opt) => void expectFail(id, container({ securityOpt: [NNP, opt] }), 'securityOpt[1]'),
  );
  it('reads an entry wrapped as a secret', () =>
    void expectFail(id, container({ securityOpt: [new Secret('seccomp=unconfined')] }), 'securityOpt[0]'));
  it('is unknown at an unknown entry', () =>
    expectUnknown(id, container({ securityOpt: [NNP, UNKNOWN] }), 'securityOpt[1]'));
  it('passes for a swarm service, which keeps the default profile', () =>
    expectPass(id, container({}, ['securityOpt'])));
  it('passes a custom profile and leaves other options that say unconfined to their own rules', () =>
    expectPass(
      id,
      container({
        securityOpt: [
          NNP,
          'seccomp={"defaultAction":"SCMP_ACT_ERRNO"}',
          'apparmor=unconfined',
          'label=unconfined',
        ],
      }),
    ));
});
