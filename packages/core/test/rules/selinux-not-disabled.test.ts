import { UNKNOWN } from '../../src/model/value.js';
import { selinuxNotDisabled } from '../../src/rules/selinux-not-disabled.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(selinuxNotDisabled, {
  mutations: [exampleMutation(selinuxNotDisabled)],
});

const NNP = 'no-new-privileges:true';

describe('selinux-not-disabled', () => {
  const id = 'selinux-not-disabled';
  it('passes the compliant fixture and a level label', () => {
    expectPass(id, container());
    expectPass(id, container({ securityOpt: ['label=level:s0:c100,c200', 'label=type:container_t'] }));
  });
  it.each([
    'label=disable',
    'label:disable',
    'label=type:spc_t',
    'label:type:unconfined_t',
    'label=user:system_u',
  ])(
    'fails when security_opt has %s',
    (opt) => void expectFail(id, container({ securityOpt: [NNP, opt] }), 'securityOpt[1]'),
  );
  it('is unknown at an unknown entry', () =>
    expectUnknown(id, container({ securityOpt: [UNKNOWN] }), 'securityOpt[0]'));
  it('leaves options other than label to their own rules', () =>
    expectPass(id, container({ securityOpt: ['apparmor=disable', 'systempaths=type:spc_t'] })));
  it('judges the process type only: a file type (filetype:) is not a process type', () =>
    expectPass(id, container({ securityOpt: ['label=filetype:spc_t'] })));
  it('reads blanks around the separator of a type', () =>
    void expectFail(id, container({ securityOpt: ['label=type : spc_t'] }), 'securityOpt[0]'));
  it('fails a role, whatever its value, naming the part', () => {
    const [msg] = expectFail(id, container({ securityOpt: ['label=role:container_t'] }), 'securityOpt[0]');
    expect(msg).toContain('SELinux role');
  });
});
