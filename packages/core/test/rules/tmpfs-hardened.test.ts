import { UNKNOWN } from '../../src/model/value.js';
import { tmpfsHardened } from '../../src/rules/tmpfs-hardened.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(tmpfsHardened, {
  mutations: [
    exampleMutation(tmpfsHardened),
    { name: 'passes options in any order', set: { tmpfs: { '/run': 'nodev,nosuid,size=1m,noexec' } } },
    { name: 'passes when there is no tmpfs', set: { tmpfs: undefined } },
    {
      name: 'fails when a later exec overrides noexec',
      set: { tmpfs: { '/tmp': 'size=1m,noexec,nosuid,nodev,exec' } },
      fails: 'tmpfs["/tmp"]',
    },
    { name: 'is unknown when tmpfs is unknown', set: { tmpfs: UNKNOWN }, unknown: 'tmpfs' },
  ],
});

describe('tmpfs-hardened', () => {
  const id = 'tmpfs-hardened';
  it('passes the compliant fixture and options in any order', () => {
    expectPass(id, container());
    expectPass(id, container({ tmpfs: { '/run': 'nodev,nosuid,size=1m,noexec' } }));
  });
  it('passes when there is no tmpfs', () => expectPass(id, container({ tmpfs: undefined })));
  it('fails when a tmpfs has no size, naming what is missing', () => {
    expect(expectFail(id, container({ tmpfs: { '/tmp': 'noexec,nosuid,nodev' } }), 'tmpfs["/tmp"]')).toEqual([
      'tmpfs mount lacks size',
    ]);
  });
  it('fails when a tmpfs has no options at all', () => {
    expect(expectFail(id, container({ tmpfs: { '/tmp': '' } }), 'tmpfs["/tmp"]')).toEqual([
      'tmpfs mount lacks size, noexec, nosuid, nodev',
    ]);
  });
  it('fails when a later exec overrides noexec', () =>
    void expectFail(
      id,
      container({ tmpfs: { '/tmp': 'size=1m,noexec,nosuid,nodev,exec' } }),
      'tmpfs["/tmp"]',
    ));
  it('passes when a later noexec overrides exec', () =>
    expectPass(id, container({ tmpfs: { '/tmp': 'exec,size=1m,noexec,nosuid,nodev' } })));
  it('fails each bad tmpfs separately', () =>
    void expectFail(
      id,
      container({ tmpfs: { '/a': 'size=1m,noexec,nosuid,nodev', '/b': 'size=0', '/c': 'rw' } }),
      'tmpfs["/b"]',
      'tmpfs["/c"]',
    ));
  it('is unknown when tmpfs is unknown, or for one unknown entry', () => {
    expectUnknown(id, container({ tmpfs: UNKNOWN }), 'tmpfs');
    expectUnknown(id, container({ tmpfs: { '/tmp': UNKNOWN } }), 'tmpfs["/tmp"]');
  });
  it.each(['size=0', 'size=', 'size=0k', 'size=00m', 'size=0%'])(
    'fails a tmpfs whose only flaw is an empty size (%s)',
    (size) =>
      void expect(
        expectFail(id, container({ tmpfs: { '/tmp': `noexec,nosuid,nodev,${size}` } }), 'tmpfs["/tmp"]'),
      ).toEqual(['tmpfs mount lacks size']),
  );
  it('reads options case-insensitively, without blanks or empty entries', () =>
    expectPass(id, container({ tmpfs: { '/tmp': ' NOEXEC , nosuid,,NODEV ,size=64M ' } })));
});
