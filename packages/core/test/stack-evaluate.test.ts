import { catalog } from '../src/engine/catalog.js';
import { evaluate } from '../src/engine/evaluate.js';
import type { ContainerSpec, NetworkSpec, ResourceSet } from '../src/model/spec.js';
import type { StackRule } from '../src/rules/types.js';
import { compliantContainer, compliantNetwork } from './fixtures.js';

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
const _summary = (id: string, set: ResourceSet) =>
  rule(id)
    .check(set)
    .map((o) => [o.status, o.resource.source.name, o.path, o.message]);

describe('a whole stack through evaluate', () => {
  it('reports the stack findings on the right resources with source paths, and nothing else', () => {
    const s = stack();
    s.containers[1]!.source.fieldPaths = { networks: 'networksAdvanced' };
    const { findings } = evaluate(s);
    expect(findings.map((f) => [f.ruleId, f.resource.name, f.resource.scope, f.path])).toEqual([
      ['network-internal', 'egress', 'network', 'internal'],
      ['shared-network-needs-link', 'api', 'container', 'networksAdvanced[1]'],
      ['shared-network-needs-link', 'db', 'container', 'networks[0]'],
      ['shared-network-needs-link', 'worker', 'container', 'networks[0]'],
      ['backend-on-internal-network', 'api', 'container', 'networksAdvanced[2]'],
    ]);
  });
  it('honours the egress exemption label the network component writes', () => {
    const s = stack();
    s.networks[2]!.labels = { 'dev.bulkhead.exempt.network-internal': 'api calls the payment provider' };
    const f = evaluate(s, { only: ['network-internal'] }).findings;
    expect(f.map((x) => [x.status, x.exemption?.from])).toEqual([['exempt', 'label']]);
  });
});
