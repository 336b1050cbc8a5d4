import { UNKNOWN } from '../../src/model/value.js';
import { noPrivilegedPorts } from '../../src/rules/no-privileged-ports.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noPrivilegedPorts, {
  mutations: [
    exampleMutation(noPrivilegedPorts),
    {
      name: 'passes a host port at 1024 or above',
      set: { ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }] },
    },
  ],
});

describe('no-privileged-ports', () => {
  const id = 'no-privileged-ports';
  it('passes the compliant fixture, high host ports and random host ports', () => {
    expectPass(id, container());
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }] }));
  });
  it('fails when a host port is below 1024, without echoing it', () => {
    const [msg] = expectFail(
      id,
      container({ ports: [{ containerPort: 8080, hostPort: 443 }] }),
      'ports[0].hostPort',
    );
    expect(msg).not.toContain('443');
  });
  it('is unknown when the host port is unknown', () =>
    expectUnknown(id, container({ ports: [{ containerPort: 80, hostPort: UNKNOWN }] }), 'ports[0].hostPort'));
  it('passes host port 0 (a random port) and 1024, the first unprivileged port', () => {
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 0 }] }));
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 1024 }] }));
  });
  it('fails host port 1023, the last privileged port', () =>
    void expectFail(id, container({ ports: [{ containerPort: 80, hostPort: 1023 }] }), 'ports[0].hostPort'));
  it('is unknown when the port list is not known yet, or for an entry that is no port', () => {
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
    // Outside the model's types (hand-built or adversarial specs).
    expectUnknown(
      id,
      container({ ports: [{ containerPort: 80, hostPort: 8080 }, UNKNOWN as never] }),
      'ports[1]',
    );
  });
});
