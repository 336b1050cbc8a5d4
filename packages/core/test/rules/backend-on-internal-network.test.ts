import type { ContainerSpec, NetworkSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import { backendOnInternalNetwork } from '../../src/rules/backend-on-internal-network.js';
import { describeStackRule } from '../../src/testing/jest.js';
import { stackExampleMutation } from '../../src/testing/kit.js';
import { net, stack, summary, svc } from '../support/stack.js';

describeStackRule(backendOnInternalNetwork, { mutations: [stackExampleMutation(backendOnInternalNetwork)] });

describe('backend-on-internal-network', () => {
  const id = 'backend-on-internal-network';
  it('fails a backend attached to a network that is not internal', () => {
    expect(summary(id, stack())).toEqual([
      [
        'fail',
        'api',
        'networks[2]',
        'is a backend (publishes no ports) attached to a network that is not internal',
      ],
    ]);
  });
  it('leaves containers that publish ports to ports-only-on-ingress', () => {
    const s = stack();
    s.containers[1]!.ports = [{ containerPort: 8080, hostIp: '127.0.0.1' }];
    expect(summary(id, s)).toEqual([]);
  });
  it('is unknown when the network is not in the evaluated set', () => {
    const s = stack();
    s.networks = s.networks.filter((n) => n.name !== 'backend');
    expect(summary(id, s).map((r) => r.slice(0, 3))).toEqual([
      ['unknown', 'api', 'networks[1]'],
      ['fail', 'api', 'networks[2]'],
      ['unknown', 'db', 'networks[0]'],
      ['unknown', 'worker', 'networks[0]'],
    ]);
  });
  it("is unknown when a network's internal flag is unknown", () => {
    const s = stack();
    s.networks[2]!.internal = UNKNOWN;
    expect(summary(id, s).map((r) => r.slice(0, 3))).toEqual([['unknown', 'api', 'networks[2]']]);
  });
});

describe('stack rules: the rarer inputs', () => {
  it('backend-on-internal-network: a network named by networkMode counts; container: modes do not', () => {
    const s = stack();
    s.containers[3]!.networks = [];
    s.containers[3]!.networkMode = 'egress';
    expect(summary('backend-on-internal-network', s).map((r) => r.slice(0, 3))).toEqual([
      ['fail', 'api', 'networks[2]'],
      ['fail', 'worker', 'networkMode'],
    ]);
    s.containers[3]!.networkMode = 'Container:api';
    expect(summary('backend-on-internal-network', s).map((r) => r.slice(0, 3))).toEqual([
      ['fail', 'api', 'networks[2]'],
    ]);
  });
  it('backend-on-internal-network: unknown when publish-all is not known yet', () => {
    const s = stack();
    s.containers[1]!.publishAllPorts = UNKNOWN;
    expect(summary('backend-on-internal-network', s)).toEqual([
      ['unknown', 'api', 'publishAllPorts', 'whether the container publishes ports is not known yet'],
    ]);
  });
});

describe('backend-on-internal-network: unknowns and lookups', () => {
  const id = 'backend-on-internal-network';
  const worker = (networks: NonNullable<ContainerSpec['networks']>) => svc('worker', { networks });
  const check = (c: ContainerSpec, networks: NetworkSpec[]) =>
    summary(id, { containers: [c], networks }).map((r) => r.slice(0, 3));

  it('is unknown when the attachments, a network name or internal is not known yet', () => {
    expect(check(worker(UNKNOWN), [])).toEqual([['unknown', 'worker', 'networks']]);
    expect(check(worker([{ name: UNKNOWN }]), [])).toEqual([['unknown', 'worker', 'networks[0]']]);
    const n = net('backend', true);
    n.internal = UNKNOWN;
    expect(check(worker([{ name: 'backend' }]), [n])).toEqual([['unknown', 'worker', 'networks[0]']]);
  });
  it('treats a network that does not say it is internal as not internal', () => {
    const n = net('backend', true);
    delete n.internal;
    expect(check(worker([{ name: 'backend' }]), [n])).toEqual([['fail', 'worker', 'networks[0]']]);
  });
  it('finds a network by its engine name first, then by its resource name; the first of a name wins', () => {
    const renamed = net('backend', true);
    renamed.name = 'prod_backend';
    expect(check(worker([{ name: 'backend' }]), [renamed])).toEqual([]);
    expect(check(worker([{ name: 'prod_backend' }]), [renamed])).toEqual([]);
    const open = net('other', false);
    open.name = 'backend';
    // `backend` is both open's engine name and renamed's resource name: the engine name wins.
    expect(check(worker([{ name: 'backend' }]), [renamed, open])).toEqual([
      ['fail', 'worker', 'networks[0]'],
    ]);
    expect(check(worker([{ name: 'backend' }]), [net('backend', false), net('backend', true)])).toEqual([
      ['fail', 'worker', 'networks[0]'],
    ]);
    expect(check(worker([{ name: 'backend' }]), [net('backend', true), net('backend', false)])).toEqual([]);
  });
});
