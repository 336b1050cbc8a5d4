import { UNKNOWN } from '../../src/model/value.js';
import { safeSysctls } from '../../src/rules/safe-sysctls.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(safeSysctls, {
  mutations: [
    exampleMutation(safeSysctls),
    {
      name: 'passes a sysctl in the PSS safe set',
      set: { sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' } },
    },
  ],
});

describe('safe-sysctls', () => {
  const id = 'safe-sysctls';
  it('passes the compliant fixture and safe sysctls in either notation', () => {
    expectPass(id, container());
    expectPass(
      id,
      container({ sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80', 'kernel/shm_rmid_forced': '1' } }),
    );
  });
  it('fails for each sysctl outside the safe set, at its key', () =>
    void expectFail(
      id,
      container({
        sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv4.tcp_syncookies': '1', 'kernel.msgmax': '1' },
      }),
      'sysctls["net.ipv4.ip_forward"]',
      'sysctls["kernel.msgmax"]',
    ));
  it('is unknown when sysctls are unknown', () =>
    expectUnknown(id, container({ sysctls: UNKNOWN }), 'sysctls'));
});
