import { noPrivileged } from '../../src/rules/no-privileged.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';

describeRule(noPrivileged, {
  mutations: [exampleMutation(noPrivileged)],
});
