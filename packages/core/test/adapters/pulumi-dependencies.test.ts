/**
 * What Pulumi's dependency records tell the adapters: an image taken from an image resource's
 * digest output is pinned while a preview does not know it yet, and a container that depends on
 * another declares a link to it. Through every document that carries them: resources as the
 * analyzer/mocks give them, `pulumi preview --json` and `pulumi stack export`.
 */
import {
  fromPreviewJson,
  fromPulumiResources,
  fromStackExport,
  typeFromUrn,
} from '../../src/adapters/index.js';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { ResourceSet } from '../../src/model/spec.js';

const UNKNOWN_STRING = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const STACK = 'urn:pulumi:dev::shop';
const urn = (type: string, name: string) => `${STACK}::${type}::${name}`;
const REMOTE = urn('docker:index/remoteImage:RemoteImage', 'app-image');
const BUILT = urn('docker:index/image:Image', 'built');
const BUILDX = urn('docker-build:index:Image', 'buildx');
const NET = urn('docker:index/network:Network', 'backend');
const ctr = (name: string) => urn('docker:index/container:Container', name);

const container = (name: string, image: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'docker:index/container:Container',
  name,
  urn: ctr(name),
  props: { image, networksAdvanced: [{ name: 'backend' }] },
  ...extra,
});
const buildx = (push: boolean) => ({
  type: 'docker-build:index:Image',
  name: 'buildx',
  urn: BUILDX,
  props: { push, tags: ['registry.example/app:1'] },
});
const statusOf = (set: ResourceSet, rule: string, name: string) =>
  evaluate(set, { only: [rule] })
    .findings.filter((f) => f.resource.name === name)
    .map((f) => f.status);

describe('image-digest-pinned: an image taken from a digest output', () => {
  it.each([
    ['RemoteImage.repoDigest', REMOTE],
    ['Image.repoDigest', BUILT],
  ])('passes %s while its value is not known yet', (_, from) => {
    const set = fromPulumiResources([
      container('web', UNKNOWN_STRING, { propertyDependencies: { image: [from] } }),
    ]);
    expect(set.containers[0]!.imageDigestFrom).toBe(typeFromUrn(from));
    expect(statusOf(set, 'image-digest-pinned', 'web')).toEqual([]);
  });
  it('passes a docker-build Image that pushes, and stays unknown for one that does not (its ref is a tag)', () => {
    const web = container('web', UNKNOWN_STRING, { propertyDependencies: { image: [BUILDX] } });
    expect(statusOf(fromPulumiResources([buildx(true), web]), 'image-digest-pinned', 'web')).toEqual([]);
    expect(statusOf(fromPulumiResources([buildx(false), web]), 'image-digest-pinned', 'web')).toEqual([
      'unknown',
    ]);
    // Not in the set at all: whether it pushes is not known.
    expect(statusOf(fromPulumiResources([web]), 'image-digest-pinned', 'web')).toEqual(['unknown']);
  });
  it('stays unknown when the image also depends on something that is not an image resource', () => {
    const set = fromPulumiResources([
      container('web', UNKNOWN_STRING, { propertyDependencies: { image: [REMOTE, NET] } }),
    ]);
    expect(statusOf(set, 'image-digest-pinned', 'web')).toEqual(['unknown']);
  });
  it('judges a known image by its content, whatever it depends on', () => {
    const set = fromPulumiResources([
      container('web', 'registry.example/app:latest', { propertyDependencies: { image: [REMOTE] } }),
    ]);
    expect(set.containers[0]!.imageDigestFrom).toBeUndefined();
    expect(statusOf(set, 'image-digest-pinned', 'web')).toEqual(['fail']);
  });
  it('reads the dependency from pulumi preview --json', () => {
    const preview = {
      steps: [
        {
          op: 'create',
          urn: ctr('web'),
          newState: {
            urn: ctr('web'),
            type: 'docker:index/container:Container',
            inputs: { image: UNKNOWN_STRING },
            propertyDependencies: { image: [REMOTE] },
            dependencies: [REMOTE],
          },
        },
      ],
    };
    expect(statusOf(fromPreviewJson(preview), 'image-digest-pinned', 'web')).toEqual([]);
  });
  it('reads a docker-build image and its push flag from a stack export', () => {
    const exported = (push: boolean) => ({
      deployment: {
        resources: [
          { urn: BUILDX, type: 'docker-build:index:Image', inputs: { push } },
          {
            urn: ctr('web'),
            type: 'docker:index/container:Container',
            inputs: { image: UNKNOWN_STRING },
            propertyDependencies: { image: [BUILDX] },
          },
        ],
      },
    });
    expect(statusOf(fromStackExport(exported(true)), 'image-digest-pinned', 'web')).toEqual([]);
    expect(statusOf(fromStackExport(exported(false)), 'image-digest-pinned', 'web')).toEqual(['unknown']);
  });
});

describe('shared-network-needs-link: a Pulumi dependency between containers is a declared link', () => {
  const rule = 'shared-network-needs-link';
  it('accepts dependsOn (the dependency list) in either direction', () => {
    const set = fromPulumiResources([
      container('api', 'a@sha256:0', { dependencies: [ctr('db'), NET] }),
      container('db', 'b@sha256:0'),
    ]);
    expect(set.containers[0]!.links).toEqual([ctr('db')]);
    expect(statusOf(set, rule, 'api')).toEqual([]);
    expect(statusOf(set, rule, 'db')).toEqual([]);
  });
  it('accepts an input taken from the other container (a property dependency)', () => {
    const set = fromPulumiResources([
      container('api', 'a', { propertyDependencies: { envs: [ctr('db')] } }),
      container('db', 'b'),
    ]);
    expect(statusOf(set, rule, 'api')).toEqual([]);
  });
  it('does not count a dependency on a network or an image as a link', () => {
    const set = fromPulumiResources([
      container('api', 'a', { dependencies: [NET, REMOTE] }),
      container('db', 'b'),
    ]);
    expect(set.containers[0]!.links).toBeUndefined();
    expect(statusOf(set, rule, 'api')).toEqual(['fail']);
    expect(statusOf(set, rule, 'db')).toEqual(['fail']);
  });
  it('reads dependencies from a stack export and from preview JSON', () => {
    const resources = [
      {
        urn: ctr('api'),
        type: 'docker:index/container:Container',
        inputs: { image: 'a', networksAdvanced: [{ name: 'n' }] },
        dependencies: [ctr('db')],
      },
      {
        urn: ctr('db'),
        type: 'docker:index/container:Container',
        inputs: { image: 'b', networksAdvanced: [{ name: 'n' }] },
      },
    ];
    expect(statusOf(fromStackExport({ deployment: { resources } }), rule, 'db')).toEqual([]);
    const steps = resources.map((r) => ({ op: 'create', urn: r.urn, newState: r }));
    expect(statusOf(fromPreviewJson({ steps }), rule, 'db')).toEqual([]);
  });
});

describe('typeFromUrn', () => {
  it('takes the last type of a parent chain, and nothing from what is not a URN', () => {
    expect(
      typeFromUrn(`${STACK}::bulkhead:docker:HardenedContainer$docker:index/container:Container::web`),
    ).toBe('docker:index/container:Container');
    expect(typeFromUrn(`${STACK}::docker:index/container:Container::name::with::colons`)).toBe(
      'docker:index/container:Container',
    );
    expect(typeFromUrn('docker:index/container:Container')).toBeUndefined();
    expect(typeFromUrn(42)).toBeUndefined();
  });
});
