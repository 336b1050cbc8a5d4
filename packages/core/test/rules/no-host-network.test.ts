import { noHostNetwork } from '../../src/rules/no-host-network.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { describeHostNamespace } from './helpers.js';

describeRule(noHostNetwork, {
  mutations: [
    exampleMutation(noHostNetwork),
    { name: 'passes network mode none', set: { networkMode: 'none', networks: undefined } },
  ],
});

describeHostNamespace('no-host-network', 'networkMode', 'network');
