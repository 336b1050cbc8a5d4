import { Secret, UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

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

describe('no-unmasked-paths', () => {
  const id = 'no-unmasked-paths';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when security_opt has systempaths=unconfined', () =>
    void expectFail(id, container({ securityOpt: [NNP, 'systempaths=unconfined'] }), 'securityOpt[1]'));
  it('is unknown when security_opt is unknown', () =>
    expectUnknown(id, container({ securityOpt: UNKNOWN }), 'securityOpt'));
});
