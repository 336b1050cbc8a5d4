import { UNKNOWN } from '../../src/model/value.js';
import { portsOnlyOnIngress } from '../../src/rules/ports-only-on-ingress.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(portsOnlyOnIngress, {
  mutations: [exampleMutation(portsOnlyOnIngress)],
});

describe('ports-only-on-ingress', () => {
  const id = 'ports-only-on-ingress';
  const published = { ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }] };
  it('passes the compliant fixture (publishes nothing)', () => expectPass(id, container()));
  it('passes a declared ingress that publishes ports', () =>
    expectPass(id, container({ ...published, ingress: true })));
  it('fails when a container that is not an ingress publishes ports', () => {
    expectFail(id, container(published), 'ports');
    expectFail(id, container({ publishAllPorts: true, ingress: false }), 'publishAllPorts');
  });
  it('is unknown when the ingress role or the ports are unknown', () => {
    expectUnknown(id, container({ ...published, ingress: UNKNOWN }), 'ingress');
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
  });
});
