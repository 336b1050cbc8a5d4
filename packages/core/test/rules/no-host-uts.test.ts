import { noHostUts } from '../../src/rules/no-host-uts.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { describeHostNamespace } from './helpers.js';

describeRule(noHostUts, {
  mutations: [exampleMutation(noHostUts)],
});

describeHostNamespace('no-host-uts', 'utsMode', 'UTS');
