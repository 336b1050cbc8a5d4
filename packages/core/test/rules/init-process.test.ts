import { UNKNOWN } from '../../src/model/value.js';
import { initProcess } from '../../src/rules/init-process.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(initProcess, {
  mutations: [
    exampleMutation(initProcess),
    { name: 'fails when init is false', set: { init: false }, fails: 'init' },
  ],
});

describe('init-process', () => {
  const id = 'init-process';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when init is false or absent', () => {
    expectFail(id, container({ init: false }), 'init');
    expectFail(id, container({ init: undefined }), 'init');
  });
  it('is unknown when init is unknown', () => expectUnknown(id, container({ init: UNKNOWN }), 'init'));
});

describe('runtime rules: the rarer inputs', () => {
  it('init-process: a resource type that cannot run an init says so', () => {
    const [msg] = expectFail('init-process', container({}, ['init']), 'init');
    expect(msg).toMatch(/^a swarm service cannot set an init process/);
  });
});
