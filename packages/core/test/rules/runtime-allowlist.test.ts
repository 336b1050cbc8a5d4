import { UNKNOWN } from '../../src/model/value.js';
import { runtimeAllowlist } from '../../src/rules/runtime-allowlist.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(runtimeAllowlist, {
  mutations: [
    exampleMutation(runtimeAllowlist),
    { name: 'passes runsc', set: { runtime: 'runsc' } },
    { name: 'passes the default runtime', set: { runtime: undefined } },
  ],
});

describe('runtime-allowlist', () => {
  const id = 'runtime-allowlist';
  it.each([undefined, 'runc', 'runsc', 'kata-qemu', 'io.containerd.kata.v2', 'sysbox-runc'])(
    'passes runtime %s',
    (runtime) => expectPass(id, container({ runtime })),
  );
  it('fails for a runtime outside the allowlist, without echoing it', () => {
    const [msg] = expectFail(id, container({ runtime: 'my-homemade-runtime' }), 'runtime');
    expect(msg).not.toContain('homemade');
  });
  it('is unknown when the runtime is unknown', () =>
    expectUnknown(id, container({ runtime: UNKNOWN }), 'runtime'));
});
