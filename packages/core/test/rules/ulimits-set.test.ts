import { UNKNOWN } from '../../src/model/value.js';
import { ulimitsSet } from '../../src/rules/ulimits-set.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(ulimitsSet, {
  mutations: [exampleMutation(ulimitsSet)],
});

describe('ulimits-set', () => {
  const id = 'ulimits-set';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails for each missing ulimit', () => {
    expectFail(id, container({ ulimits: undefined }), 'ulimits', 'ulimits');
    expectFail(id, container({ ulimits: [{ name: 'NOFILE', soft: 10, hard: 10 }] }), 'ulimits');
  });
  it('fails when a ulimit is unbounded', () =>
    void expectFail(
      id,
      container({
        ulimits: [
          { name: 'nofile', soft: 1024, hard: 1024 },
          { name: 'nproc', soft: -1, hard: -1 },
        ],
      }),
      'ulimits[1]',
    ));
  it('is unknown when ulimits are unknown', () =>
    expectUnknown(id, container({ ulimits: UNKNOWN }), 'ulimits'));
  it('is unknown when a limit value is unknown', () =>
    expectUnknown(
      id,
      container({
        ulimits: [
          { name: 'nofile', soft: UNKNOWN, hard: 1024 },
          { name: 'nproc', soft: 1, hard: 1 },
        ],
      }),
      'ulimits',
    ));
  it('fails a swarm service, which cannot set ulimits, saying so', () => {
    const [msg] = expectFail(id, container({}, ['ulimits']), 'ulimits');
    expect(msg).toContain('swarm service');
    expect(msg).toContain('ulimits');
  });
});
