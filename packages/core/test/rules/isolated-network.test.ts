import { UNKNOWN } from '../../src/model/value.js';
import { isolatedNetwork } from '../../src/rules/isolated-network.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(isolatedNetwork, {
  mutations: [
    exampleMutation(isolatedNetwork),
    { name: 'passes network mode none', set: { networks: undefined, networkMode: 'none' } },
  ],
});

describe('isolated-network', () => {
  const id = 'isolated-network';
  it('passes the compliant fixture (user-defined network)', () => expectPass(id, container()));
  it('passes network mode none and a user-defined network mode', () => {
    expectPass(id, container({ networks: undefined, networkMode: 'none' }));
    expectPass(id, container({ networks: undefined, networkMode: 'backend' }));
  });
  it('fails when no network is given (the default bridge)', () =>
    void expectFail(id, container({ networks: undefined }), 'networks'));
  it('fails when network mode is bridge or default without networks', () => {
    expectFail(id, container({ networks: [], networkMode: 'bridge' }), 'networkMode');
    expectFail(id, container({ networks: undefined, networkMode: 'default' }), 'networkMode');
  });
  it('fails when attached to the network named bridge', () =>
    void expectFail(
      id,
      container({ networks: [{ name: 'web-internal' }, { name: 'bridge' }] }),
      'networks[1]',
    ));
  it('is unknown when the network mode or the networks are unknown', () => {
    expectUnknown(id, container({ networkMode: UNKNOWN }), 'networkMode');
    expectUnknown(id, container({ networks: UNKNOWN }), 'networks');
    expectUnknown(id, container({ networks: [{ name: UNKNOWN }] }), 'networks[0]');
  });
});

describe('runtime rules: the rarer inputs', () => {
  it('isolated-network: a networkMode naming the default bridge is read trimmed and case-insensitively', () =>
    void expectFail('isolated-network', container({ networkMode: ' Bridge ', networks: [] }), 'networkMode'));
});
