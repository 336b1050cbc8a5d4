import { noHostIpc } from '../../src/rules/no-host-ipc.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { describeHostNamespace } from './helpers.js';

describeRule(noHostIpc, {
  mutations: [
    exampleMutation(noHostIpc),
    { name: 'passes a private IPC namespace', set: { ipcMode: 'private' } },
  ],
});

describeHostNamespace('no-host-ipc', 'ipcMode', 'IPC');
