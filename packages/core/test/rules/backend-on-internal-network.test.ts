import { catalog } from '../../src/engine/catalog.js';
import type { ContainerSpec, NetworkSpec, ResourceSet } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import { backendOnInternalNetwork } from '../../src/rules/backend-on-internal-network.js';
import type { StackRule } from '../../src/rules/types.js';
import { describeStackRule } from '../../src/testing/jest.js';
import { stackExampleSet } from '../../src/testing/kit.js';
import { compliantContainer, compliantNetwork } from '../fixtures.js';

describeStackRule(backendOnInternalNetwork, {
  compliant: { containers: [compliantContainer()], networks: [compliantNetwork()] },
  mutations: [
    {
      name: 'fails on its insecure example',
      mutate: (set) => Object.assign(set, stackExampleSet(backendOnInternalNetwork.example!)),
      fails: backendOnInternalNetwork.example!.fails,
    },
  ],
});

function svc(name: string, o: Partial<ContainerSpec>): ContainerSpec {
  const c = compliantContainer(o);
  c.source = { ...c.source, name, urn: `urn:pulumi:dev::app::docker:index/container:Container::${name}` };
  return c;
}
const net = (name: string, internal: boolean): NetworkSpec =>
  compliantNetwork({
    name,
    internal,
    source: { kind: 'pulumi', name, type: 'docker:index/network:Network' },
  });

/**
 * proxy (ingress, publishes 443→8443) —frontend— api —backend— db
 * worker sits on backend too but declares no link to db or api; api → db is declared by api,
 * proxy → api is declared by proxy. egress is not internal and only api uses it.
 */
function stack(): ResourceSet {
  return {
    containers: [
      svc('proxy', {
        ingress: true,
        ports: [{ containerPort: 8443, hostPort: 8443, hostIp: '127.0.0.1' }],
        networks: [{ name: 'frontend' }],
        links: ['api:8080'],
      }),
      svc('api', {
        networks: [{ name: 'frontend' }, { name: 'backend' }, { name: 'egress' }],
        links: ['db:5432'],
      }),
      svc('db', { networks: [{ name: 'backend', aliases: ['postgres'] }] }),
      svc('worker', { networks: [{ name: 'backend' }] }),
    ],
    networks: [net('frontend', true), net('backend', true), net('egress', false)],
  };
}

const rule = (id: string) => catalog.get(id) as StackRule;
const summary = (id: string, set: ResourceSet) =>
  rule(id)
    .check(set)
    .map((o) => [o.status, o.resource.source.name, o.path, o.message]);

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
