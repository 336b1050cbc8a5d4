import { UNKNOWN } from '../../src/model/value.js';
import { noHostIpc } from '../../src/rules/no-host-ipc.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noHostIpc, {
  mutations: [
    exampleMutation(noHostIpc),
    { name: 'passes a private IPC namespace', set: { ipcMode: 'private' } },
  ],
});

describe.each([['no-host-ipc', 'ipcMode', 'IPC']] as const)('%s', (id, field, what) => {
  it('passes the compliant fixture', () => expectPass(id, container()));
  it(`fails when ${field} is host (any case), naming the ${what} namespace`, () => {
    expect(expectFail(id, container({ [field]: 'host' }), field)).toEqual([
      `shares the host's ${what} namespace`,
    ]);
    expectFail(id, container({ [field]: ' HOST ' }), field);
  });
  it(`passes when ${field} shares another container's namespace or is private`, () => {
    expectPass(id, container({ [field]: 'container:db' }));
    expectPass(id, container({ [field]: 'private' }));
  });
  it(`is unknown when ${field} is unknown`, () => expectUnknown(id, container({ [field]: UNKNOWN }), field));
  it('passes for a resource type that cannot share the namespace at all', () =>
    expectPass(id, container({}, [field])));
});
