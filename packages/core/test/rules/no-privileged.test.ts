import { UNKNOWN } from '../../src/model/value.js';
import { noPrivileged } from '../../src/rules/no-privileged.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';

describeRule(noPrivileged, {
  mutations: [
    exampleMutation(noPrivileged),
    { name: 'passes when privileged is false', set: { privileged: false } },
    { name: 'passes when privileged is absent', set: { privileged: undefined } },
    { name: 'is unknown when privileged is unknown', set: { privileged: UNKNOWN }, unknown: 'privileged' },
  ],
});
