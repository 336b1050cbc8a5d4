import { UNKNOWN } from '../../src/model/value.js';
import { numericUser } from '../../src/rules/numeric-user.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(numericUser, {
  mutations: [
    exampleMutation(numericUser),
    { name: 'fails a numeric uid without a numeric group', set: { user: '10001' }, fails: 'user' },
  ],
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
