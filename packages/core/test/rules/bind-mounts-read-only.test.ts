import { UNKNOWN } from '../../src/model/value.js';
import { bindMountsReadOnly } from '../../src/rules/bind-mounts-read-only.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { bind, container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(bindMountsReadOnly, {
  mutations: [
    exampleMutation(bindMountsReadOnly),
    {
      name: 'passes a read-only bind',
      set: { mounts: [{ type: 'bind', source: '/srv/data', target: '/data', readOnly: true }] },
    },
  ],
});

describe('bind-mounts-read-only', () => {
  const id = 'bind-mounts-read-only';
  it('is unknown for unknown mounts, an entry that may be a bind, or an unknown read-only flag', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    expectUnknown(id, container({ mounts: [{ type: UNKNOWN, source: UNKNOWN, target: '/d' }] }), 'mounts[0]');
    expectUnknown(id, container({ mounts: [bind('/srv', { readOnly: UNKNOWN })] }), 'mounts[0].readOnly');
  });
  it('passes the compliant fixture, read-only binds and writable named volumes', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({
        mounts: [bind('/srv'), { type: 'volume', source: 'data', target: '/d', readOnly: false }],
      }),
    );
  });
  it('fails when a bind is writable or read_only is absent', () => {
    expectFail(id, container({ mounts: [bind('/srv', { readOnly: false })] }), 'mounts[0].readOnly');
    expectFail(
      id,
      container({ mounts: [{ type: 'bind', source: '/srv', target: '/d' }] }),
      'mounts[0].readOnly',
    );
  });
  it('is unknown when read_only is unknown', () =>
    expectUnknown(id, container({ mounts: [bind('/srv', { readOnly: UNKNOWN })] }), 'mounts[0].readOnly'));
});
