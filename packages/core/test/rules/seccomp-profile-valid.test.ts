import { Secret, UNKNOWN } from '../../src/model/value.js';
import { seccompProfileValid } from '../../src/rules/seccomp-profile-valid.js';
import { buildSeccompProfile, seccompSecurityOpt } from '../../src/seccomp/index.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(seccompProfileValid, {
  mutations: [exampleMutation(seccompProfileValid)],
});

const id = 'seccomp-profile-valid';
const NNP = 'no-new-privileges:true';
const inline = (profile: object) => `seccomp=${JSON.stringify(profile)}`;

describe('seccomp-profile-valid', () => {
  it('passes the compliant fixture (default profile) and seccomp=unconfined (another rule)', () => {
    expectPass(id, container());
    expectPass(id, container({ securityOpt: [NNP, 'seccomp=unconfined'] }));
  });
  it('passes a profile built by buildSeccompProfile, inline and as a secret', () => {
    const opt = seccompSecurityOpt(buildSeccompProfile());
    expectPass(id, container({ securityOpt: [NNP, opt] }));
    expectPass(id, container({ securityOpt: [NNP, new Secret(opt)] }));
  });
  it('passes the legacy seccomp:<json> form', () =>
    expectPass(
      id,
      container({ securityOpt: [`seccomp:${JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO' })}`] }),
    ));
  it('fails a profile path, saying it does not work with a remote daemon and the JSON must go inline', () => {
    const [msg] = expectFail(
      id,
      container({ securityOpt: [NNP, 'seccomp=/etc/docker/strict.json'] }),
      'securityOpt[1]',
    );
    expect(msg).toContain('does not work with a remote daemon');
    expect(msg).toContain('inline');
    expect(msg).not.toContain('strict.json');
  });
  it('judges a profile the same when it repeats, also after many other profiles (verdicts are cached)', () => {
    const allow = container({ securityOpt: [inline({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [] })] });
    const first = expectFail(id, allow, 'securityOpt[0]');
    expect(expectFail(id, allow, 'securityOpt[0]')).toEqual(first);
    // More distinct profiles than the cache keeps, valid and invalid, each judged on its own.
    for (let i = 0; i < 40; i++) {
      const syscalls = [{ names: ['read'], action: 'SCMP_ACT_ALLOW', comment: `entry ${i}` }];
      expectPass(id, container({ securityOpt: [inline({ defaultAction: 'SCMP_ACT_ERRNO', syscalls })] }));
      const bad = { defaultAction: 'SCMP_ACT_ALLOW', syscalls };
      expectFail(id, container({ securityOpt: [inline(bad)] }), 'securityOpt[0]');
    }
    expect(expectFail(id, allow, 'securityOpt[0]')).toEqual(first);
    expectPass(id, container({ securityOpt: [inline({ defaultAction: 'SCMP_ACT_ERRNO' })] }));
  });
  it('fails a profile that allows by default', () => {
    const [msg] = expectFail(
      id,
      container({ securityOpt: [inline({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [] })] }),
      'securityOpt[0]',
    );
    expect(msg).toMatch(/^seccomp profile defaultAction: /);
  });
  it('fails malformed JSON, without echoing any of it', () => {
    const [msg] = expectFail(
      id,
      container({ securityOpt: ['seccomp={"defaultAction": SECRETISH'] }),
      'securityOpt[0]',
    );
    expect(msg).toContain('not valid JSON');
    expect(msg).not.toContain('SECRETISH');
  });
  it('reports each validator error at the option, with the inner path and no quoted tokens', () => {
    const msgs = expectFail(
      id,
      container({
        securityOpt: [
          inline({
            defaultAction: 'SCMP_ACT_ERRNO',
            syscalls: [{ names: ['read'], action: 'SCMP_ACT_MAYBE_LATER' }],
          }),
        ],
      }),
      'securityOpt[0]',
    );
    expect(msgs.join('\n')).toContain('syscalls[0].action');
    expect(msgs.join('\n')).not.toContain('MAYBE_LATER');
  });
  it('fails an empty seccomp= value', () =>
    void expectFail(id, container({ securityOpt: ['seccomp='] }), 'securityOpt[0]'));
  it('is unknown at an unknown entry', () =>
    expectUnknown(id, container({ securityOpt: [NNP, UNKNOWN] }), 'securityOpt[1]'));
  it('passes for a swarm service, which cannot set a custom profile', () =>
    expectPass(id, container({}, ['securityOpt'])));
  it('fails seccomp= without a profile, saying so', () => {
    const [msg] = expectFail(id, container({ securityOpt: [NNP, 'seccomp='] }), 'securityOpt[1]');
    expect(msg).toContain('without a profile');
  });
  it('writes "a value" where the validator quoted part of the profile', () => {
    const msgs = expectFail(
      id,
      container({
        securityOpt: [inline({ defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_CANARY'] })],
      }),
      'securityOpt[0]',
    );
    expect(msgs.join('\n')).toContain('a value');
    expect(msgs.join('\n')).not.toContain('CANARY');
  });
  it('passes for a swarm service, which cannot set security options (another rule reports that)', () =>
    expectPass(id, container({ securityOpt: ['seccomp='] }, ['securityOpt'])));
  it('is unknown when security_opt is unknown', () =>
    expectUnknown(id, container({ securityOpt: UNKNOWN }), 'securityOpt'));
});
