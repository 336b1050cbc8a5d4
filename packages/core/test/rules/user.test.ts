import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describe('non-root-user', () => {
  const id = 'non-root-user';
  it('passes the compliant fixture and a named non-root user', () => {
    expectPass(id, container());
    expectPass(id, container({ user: 'app' }));
  });
  it.each(['0', 'root', '0:0', 'ROOT:app', ' 0 :10001'])('fails when user is %j', (user) => {
    expect(expectFail(id, container({ user }), 'user')).toEqual(['runs as root']);
  });
  it('fails when no user is set, explaining that the image default (often root) applies', () => {
    const [msg] = expectFail(id, container({ user: undefined }), 'user');
    expect(msg).toContain("the image's default user applies, and that is often root");
  });
  it('treats an empty user and a group-only user as unset', () => {
    expectFail(id, container({ user: '' }), 'user');
    expectFail(id, container({ user: ':10001' }), 'user');
  });
  it('is unknown when user is unknown', () => expectUnknown(id, container({ user: UNKNOWN }), 'user'));
});

describe('numeric-user', () => {
  const id = 'numeric-user';
  it('passes the compliant fixture (10001:10001)', () => expectPass(id, container()));
  it('fails when user is a name', () => void expectFail(id, container({ user: 'app' }), 'user'));
  it('fails when the group is a name', () => void expectFail(id, container({ user: '10001:app' }), 'user'));
  it('fails when no gid is given, since an unlisted uid gets group 0', () => {
    const [msg] = expectFail(id, container({ user: '10001' }), 'user');
    expect(msg).toContain('root (0)');
  });
  it('leaves an absent user to non-root-user', () => expectPass(id, container({ user: undefined })));
  it('is unknown when user is unknown', () => expectUnknown(id, container({ user: UNKNOWN }), 'user'));
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
