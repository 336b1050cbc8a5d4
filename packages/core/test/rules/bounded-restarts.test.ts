import { UNKNOWN } from '../../src/model/value.js';
import { boundedRestarts } from '../../src/rules/bounded-restarts.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(boundedRestarts, {
  mutations: [
    exampleMutation(boundedRestarts),
    {
      name: 'fails on-failure with too many retries',
      set: { restart: { policy: 'on-failure', maxRetries: 50 } },
      fails: 'restart.maxRetries',
    },
    { name: 'passes no restart policy', set: { restart: { policy: 'no' } } },
  ],
});

describe('bounded-restarts', () => {
  const id = 'bounded-restarts';
  it('passes the compliant fixture, no policy and "no"', () => {
    expectPass(id, container());
    expectPass(id, container({ restart: undefined }));
    expectPass(id, container({ restart: { policy: 'no' } }));
    expectPass(id, container({ restart: { policy: 'on-failure', maxRetries: 5 } }));
    for (const policy of ['', 'none', ' No ']) expectPass(id, container({ restart: { policy } }));
  });
  it('is unknown when the restart setting is not known yet or not an object', () => {
    expectUnknown(id, container({ restart: UNKNOWN }), 'restart');
    expectUnknown(id, container({ restart: 'always' as never }), 'restart');
  });
  it.each(['always', 'unless-stopped'])(
    'fails when restart is %s',
    (policy) => void expectFail(id, container({ restart: { policy } }), 'restart.policy'),
  );
  it('fails when on-failure has no bound, 0 (unlimited) or more than 5 retries', () => {
    expectFail(id, container({ restart: { policy: 'on-failure' } }), 'restart.maxRetries');
    expectFail(id, container({ restart: { policy: 'on-failure', maxRetries: 0 } }), 'restart.maxRetries');
    expectFail(id, container({ restart: { policy: 'on-failure', maxRetries: 6 } }), 'restart.maxRetries');
  });
  it('is unknown when the policy or the retries are unknown', () => {
    expectUnknown(id, container({ restart: { policy: UNKNOWN } }), 'restart.policy');
    expectUnknown(
      id,
      container({ restart: { policy: 'on-failure', maxRetries: UNKNOWN } }),
      'restart.maxRetries',
    );
  });
});
