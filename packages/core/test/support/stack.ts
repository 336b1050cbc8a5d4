/** A four-container stack and helpers shared by the stack rules' tests and the stack evaluation test. */
import { catalog } from '../../src/evaluation/catalog.js';
import type { ContainerSpec, NetworkSpec, ResourceSet } from '../../src/model/spec.js';
import type { StackRule } from '../../src/rules/types.js';
import { compliantContainer, compliantNetwork } from '../fixtures.js';

export function svc(name: string, o: Partial<ContainerSpec>): ContainerSpec {
  const c = compliantContainer(o);
  c.source = { ...c.source, name, urn: `urn:pulumi:dev::app::docker:index/container:Container::${name}` };
  return c;
}
export const net = (name: string, internal: boolean): NetworkSpec =>
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
export function stack(): ResourceSet {
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

export const rule = (id: string) => catalog.get(id) as StackRule;
export const summary = (id: string, set: ResourceSet) =>
  rule(id)
    .check(set)
    .map((o) => [o.status, o.resource.source.name, o.path, o.message]);
