import { UNKNOWN } from '../../src/model/value.js';
import { nonRootUser } from '../../src/rules/non-root-user.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(nonRootUser, {
  mutations: [
    exampleMutation(nonRootUser),
    { name: 'fails root by name', set: { user: 'root' }, fails: 'user' },
    { name: 'fails uid 0 with a group', set: { user: '0:10001' }, fails: 'user' },
    { name: 'is unknown when user is unknown', set: { user: UNKNOWN }, unknown: 'user' },
  ],
});

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
