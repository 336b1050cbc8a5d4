import { UNKNOWN } from '../../src/model/value.js';
import { noHostPid } from '../../src/rules/no-host-pid.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { describeHostNamespace } from './helpers.js';

describeRule(noHostPid, {
  mutations: [
    exampleMutation(noHostPid),
    { name: 'fails HOST in any case', set: { pidMode: ' HOST ' }, fails: 'pidMode' },
    { name: "passes another container's namespace", set: { pidMode: 'container:db' } },
    { name: 'is unknown when pid is unknown', set: { pidMode: UNKNOWN }, unknown: 'pidMode' },
  ],
});

describeHostNamespace('no-host-pid', 'pidMode', 'PID');
