/**
 * Acme's rules, tested on specs built through Bulkhead's own adapters (Pulumi args, compose and
 * docker inspect), one compliant case mutated one field at a time. Written so that each table
 * moves to `testRule` from `@bulkhead/core/testing` once that kit lands.
 */
import {
  type ContainerRule,
  type ContainerSpec,
  fromCompose,
  fromDockerInspect,
  fromPulumiContainerArgs,
  type Outcome,
  Secret,
  UNKNOWN,
} from '@bulkhead/core';
import acme, { imageRegistry, oneOwnerPerNetwork, ownerLabel } from '../src/index.js';

const IMAGE = 'registry.acme.example/web:1';
const compliantArgs = () => ({
  image: IMAGE,
  labels: [{ label: 'com.acme.owner', value: 'storefront' }],
  networksAdvanced: [{ name: 'shop' }],
});
const pulumi = (over: Record<string, unknown> = {}, name = 'web') =>
  fromPulumiContainerArgs({ ...compliantArgs(), ...over }, { name });
const outcomes = (rule: ContainerRule, spec: ContainerSpec): Outcome[] => {
  const out = rule.check(spec);
  return Array.isArray(out) ? [...out] : [out as Outcome];
};
const verdict = (rule: ContainerRule, spec: ContainerSpec) => outcomes(rule, spec).map((o) => o.status);

describe('the package', () => {
  it('exports its three rules, namespaced, under its own name', () => {
    expect(acme.name).toBe('@acme/bulkhead-rules');
    expect(acme.rules.map((r) => r.id)).toEqual([
      'acme/image-registry',
      'acme/owner-label',
      'acme/one-owner-per-network',
    ]);
  });
});

describe.each([
  [imageRegistry.id, imageRegistry, { image: 'docker.io/library/nginx:1' }, 'image'],
  [ownerLabel.id, ownerLabel, { labels: [] }, 'labels'],
  [
    ownerLabel.id,
    ownerLabel,
    { labels: [{ label: 'com.acme.owner', value: ' ' }] },
    'labels["com.acme.owner"]',
  ],
] as const)('%s', (_id, rule, mutation, path) => {
  it('passes the compliant container', () => {
    expect(verdict(rule, pulumi())).toEqual(['pass']);
  });
  it(`fails at ${path} when mutated with ${JSON.stringify(mutation)}`, () => {
    const [o] = outcomes(rule, pulumi(mutation));
    expect(o).toMatchObject({ status: 'fail', path });
  });
  it('is unknown, never failing, when the mutated field is not known yet', () => {
    const field = Object.keys(mutation)[0]!;
    expect(verdict(rule, pulumi({ [field]: UNKNOWN }))).not.toContain('fail');
  });
});

describe('secrets', () => {
  it('reads a secret image and owner but never echoes them', () => {
    const spec = pulumi();
    spec.image = new Secret('docker.io/canary-s3cr3t');
    spec.labels = { 'com.acme.owner': new Secret('canary-s3cr3t') };
    const outs = [...outcomes(imageRegistry, spec), ...outcomes(ownerLabel, spec)];
    expect(outs.map((o) => o.status)).toEqual(['fail', 'pass']);
    expect(JSON.stringify(outs)).not.toContain('canary');
  });
});

describe('the same case through every input kind', () => {
  const compose = fromCompose(
    'services:\n  web:\n    image: docker.io/library/nginx:1\n    labels:\n      com.acme.owner: storefront\n',
    'compose.yaml',
  ).containers[0]!;
  const inspect = fromDockerInspect([
    {
      Id: 'a'.repeat(64),
      Name: '/web',
      Config: { Image: 'docker.io/library/nginx:1', Labels: { 'com.acme.owner': 'storefront' } },
      HostConfig: {},
      NetworkSettings: { Networks: {} },
    },
  ]).containers[0]!;
  const args = pulumi({ image: 'docker.io/library/nginx:1' });
  it.each([
    ['compose', compose],
    ['docker inspect', inspect],
    ['Pulumi args', args],
  ])('%s: a foreign image fails the registry rule and the owner label passes', (_kind, spec) => {
    expect(verdict(imageRegistry, spec)).toEqual(['fail']);
    expect(verdict(ownerLabel, spec)).toEqual(['pass']);
  });
});

describe('acme/one-owner-per-network', () => {
  const stack = (...containers: ContainerSpec[]) => oneOwnerPerNetwork.check({ containers, networks: [] });
  it('passes one team on a network', () => {
    expect(stack(pulumi(), pulumi({}, 'api'))).toEqual([]);
  });
  it('fails each container of a network two owners share, once per container', () => {
    const other = pulumi({ labels: [{ label: 'com.acme.owner', value: 'reports' }] }, 'reports');
    const out = stack(pulumi(), other);
    expect(out.map((o) => [o.resource.source.name, o.status, o.path])).toEqual([
      ['web', 'fail', 'networks[0]'],
      ['reports', 'fail', 'networks[0]'],
    ]);
  });
  it('is unknown, not failing, when an owner is not known yet', () => {
    const out = stack(pulumi(), pulumi({ labels: UNKNOWN }, 'later'));
    expect(out.map((o) => o.status)).toEqual(['unknown']);
  });
});
