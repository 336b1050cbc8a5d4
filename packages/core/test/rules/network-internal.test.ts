import { UNKNOWN } from '../../src/model/value.js';
import { networkInternal } from '../../src/rules/network-internal.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { expectFail, expectPass, expectUnknown, network } from './helpers.js';

describeRule(networkInternal, {
  mutations: [
    exampleMutation(networkInternal),
    { name: 'fails when internal is absent', set: { internal: undefined }, fails: 'internal' },
  ],
});

describe('network-internal', () => {
  const id = 'network-internal';
  it('passes the compliant network', () => expectPass(id, network()));
  it('fails when internal is false or absent', () => {
    expectFail(id, network({ internal: false }), 'internal');
    expectFail(id, network({ internal: undefined }), 'internal');
  });
  it('is unknown when internal is unknown', () =>
    expectUnknown(id, network({ internal: UNKNOWN }), 'internal'));
});
