import { noHostUserns } from '../../src/rules/no-host-userns.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { describeHostNamespace } from './helpers.js';

describeRule(noHostUserns, {
  mutations: [exampleMutation(noHostUserns)],
});

describeHostNamespace('no-host-userns', 'usernsMode', 'user');
