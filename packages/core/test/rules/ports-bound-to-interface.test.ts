import { UNKNOWN } from '../../src/model/value.js';
import { portsBoundToInterface } from '../../src/rules/ports-bound-to-interface.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(portsBoundToInterface, {
  mutations: [
    exampleMutation(portsBoundToInterface),
    {
      name: 'passes a port bound to loopback',
      set: { ports: [{ containerPort: 8080, hostPort: 8080, hostIp: '127.0.0.1' }] },
    },
  ],
});

describe('ports-bound-to-interface', () => {
  const id = 'ports-bound-to-interface';
  it('passes the compliant fixture and a loopback-bound port', () => {
    expectPass(id, container());
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }] }));
  });
  it('fails when a port has no host IP (all interfaces)', () =>
    void expectFail(id, container({ ports: [{ containerPort: 80, hostPort: 8080 }] }), 'ports[0].hostIp'));
  it.each(['0.0.0.0', '::', '[::]', ''])(
    'fails when the host IP is %j',
    (hostIp) =>
      void expectFail(
        id,
        container({
          ports: [
            { containerPort: 80, hostIp: '10.0.0.5' },
            { containerPort: 81, hostIp },
          ],
        }),
        'ports[1].hostIp',
      ),
  );
  it('fails when publishAllPorts is on', () =>
    void expectFail(id, container({ publishAllPorts: true }), 'publishAllPorts'));
  it('is unknown when the host IP or the list is unknown', () => {
    expectUnknown(id, container({ ports: [{ containerPort: 80, hostIp: UNKNOWN }] }), 'ports[0].hostIp');
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
  });
});
