import { UNKNOWN } from '../../src/model/value.js';
import { healthcheck } from '../../src/rules/healthcheck.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(healthcheck, {
  mutations: [
    exampleMutation(healthcheck),
    {
      name: 'fails a disabled health check',
      set: { healthcheck: { test: ['NONE'], disabled: true } },
      fails: 'healthcheck.disabled',
    },
  ],
});

describe('healthcheck', () => {
  const id = 'healthcheck';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when no health check is declared, noting an image HEALTHCHECK is not visible', () => {
    const [msg] = expectFail(id, container({ healthcheck: undefined }), 'healthcheck');
    expect(msg).toContain('image HEALTHCHECK');
  });
  it('fails when the health check is disabled or NONE', () => {
    expectFail(id, container({ healthcheck: { disabled: true } }), 'healthcheck.disabled');
    expectFail(id, container({ healthcheck: { test: ['NONE'] } }), 'healthcheck.test[0]');
  });
  it('fails when the test has no command', () => {
    expectFail(id, container({ healthcheck: { test: [] } }), 'healthcheck.test');
    expectFail(id, container({ healthcheck: { test: ['CMD'] } }), 'healthcheck.test');
  });
  it('is unknown when the health check is unknown', () => {
    expectUnknown(id, container({ healthcheck: UNKNOWN }), 'healthcheck');
    expectUnknown(id, container({ healthcheck: { test: UNKNOWN } }), 'healthcheck.test');
  });
  it('is unknown when whether it is disabled, or its first test word, is not known yet', () => {
    expectUnknown(
      id,
      container({ healthcheck: { disabled: UNKNOWN, test: ['CMD', 'true'] } }),
      'healthcheck.disabled',
    );
    expectUnknown(id, container({ healthcheck: { test: [UNKNOWN, 'true'] } }), 'healthcheck.test[0]');
    expectPass(id, container({ healthcheck: { disabled: false, test: ['CMD', 'true'] } }));
  });
});

describe('runtime rules: the rarer inputs', () => {
  it('healthcheck: a health check that is not an object is unknown; test words are trimmed', () => {
    expectUnknown('healthcheck', container({ healthcheck: 'CMD true' as never }), 'healthcheck');
    expectFail('healthcheck', container({ healthcheck: { test: [' none '] } }), 'healthcheck.test[0]');
    expectFail('healthcheck', container({ healthcheck: { test: [' cmd-shell '] } }), 'healthcheck.test');
    // A single word that only contains CMD is a command (a shell-form test), not an empty CMD.
    expectPass('healthcheck', container({ healthcheck: { test: ['XCMD'] } }));
    expectPass('healthcheck', container({ healthcheck: { test: ['CMDX'] } }));
  });
});
