import { UNKNOWN } from '../../src/model/value.js';
import { noNewPrivileges } from '../../src/rules/no-new-privileges.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noNewPrivileges, {
  mutations: [
    exampleMutation(noNewPrivileges),
    {
      name: 'fails when no-new-privileges is switched off',
      set: { securityOpt: ['no-new-privileges:false'] },
      fails: 'securityOpt[0]',
    },
    { name: 'passes the = spelling', set: { securityOpt: ['no-new-privileges=true'] } },
    {
      name: 'is unknown when security_opt is unknown',
      set: { securityOpt: UNKNOWN },
      unknown: 'securityOpt',
    },
  ],
});

const NNP = 'no-new-privileges:true';

describe('no-new-privileges', () => {
  const id = 'no-new-privileges';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it.each(['no-new-privileges', 'no-new-privileges=true', 'no-new-privileges:TRUE', 'no-new-privileges=1'])(
    'accepts the form %s',
    (opt) => expectPass(id, container({ securityOpt: [opt] })),
  );
  it('fails when security_opt lacks no-new-privileges', () =>
    void expectFail(id, container({ securityOpt: ['apparmor=docker-default'] }), 'securityOpt'));
  it('fails when no-new-privileges is switched off, at that entry', () =>
    void expectFail(
      id,
      container({ securityOpt: ['apparmor=x', 'no-new-privileges=false'] }),
      'securityOpt[1]',
    ));
  it('uses the last entry when repeated', () =>
    void expectFail(id, container({ securityOpt: [NNP, 'no-new-privileges:false'] }), 'securityOpt[1]'));
  it('is unknown when security_opt is unknown', () =>
    expectUnknown(id, container({ securityOpt: UNKNOWN }), 'securityOpt'));
  it('is unknown when an unknown entry after it could switch it off', () =>
    expectUnknown(id, container({ securityOpt: [NNP, UNKNOWN] }), 'securityOpt[1]'));
  it('fails plainly for a swarm service, which cannot set security options', () => {
    const [msg] = expectFail(id, container({}, ['securityOpt']), 'securityOpt');
    expect(msg).toMatch(/^a swarm service cannot set security options.*accept the gap with an exemption$/);
  });
});
