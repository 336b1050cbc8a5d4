/**
 * `@pulumi/docker` v5 resource inputs → {@link ContainerSpec} / {@link NetworkSpec}: which
 * resources are read (by type token), their source info and dependencies. Each resource type's
 * reader lives in `pulumi/` (container, service, network).
 *
 * The props are the *resolved inputs* of a resource as the policy analyzer, `setMocks`, a stack
 * export or a preview sees them: secrets may be wrapped, unknowns may be sentinels or
 * `{__pulumiUnknown: true}`, and nothing is validated. Nothing here throws.
 */
import type {
  ContainerSpec,
  InputKind,
  Location,
  NetworkSpec,
  ResourceSet,
  SourceInfo,
} from '../model/spec.js';
import { isUnknown } from '../model/value.js';
import { CONTAINER_CANNOT, CONTAINER_PATHS, containerFromProps } from './pulumi/container.js';
import { NETWORK_PATHS, networkFromProps } from './pulumi/network.js';
import { SERVICE_CANNOT, SERVICE_PATHS, serviceFromProps } from './pulumi/service.js';
import { PLAIN, type ReadContext } from './read.js';

export { PULUMI_CONTAINER_FIELDS, unknownContainer } from './pulumi/container.js';

/** Type tokens of the `@pulumi/docker` resources Bulkhead reads. */
export const PULUMI_TYPES = {
  container: 'docker:index/container:Container',
  network: 'docker:index/network:Network',
  service: 'docker:index/service:Service',
} as const;

/** One Pulumi resource as an analyzer, a stack export or a preview describes it. */
export interface PulumiResourceInput {
  /** Type token, such as `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  urn?: string;
  /** URN of the parent (the component that created the resource). */
  parent?: string;
  /** Resolved inputs. */
  props: Record<string, unknown>;
  location?: Location;
  /** URNs of the resources this one depends on (`dependsOn` and every input's dependencies). */
  dependencies?: readonly string[];
  /** Input property → URNs of the resources its value came from. */
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Image resources whose digest outputs name exact content: `docker.RemoteImage` (`repoDigest`,
 * `imageId`) and `docker.Image` (`repoDigest`) always; a docker-build `Image` (`ref`, `digest`)
 * only when it pushes (`push: true`), since without a push `ref` is one of its tags.
 */
export const DIGEST_IMAGE_TYPES = {
  remoteImage: 'docker:index/remoteImage:RemoteImage',
  image: 'docker:index/image:Image',
  buildImage: 'docker-build:index:Image',
} as const;

/** The resource type in a URN (`urn:pulumi:stack::project::parent$type::name` → `type`). */
export function typeFromUrn(urn: unknown): string | undefined {
  if (typeof urn !== 'string' || !urn.startsWith('urn:pulumi:')) return undefined;
  const parts = urn.split('::');
  if (parts.length < 4) return undefined;
  const qualified = parts[2]!;
  return qualified.slice(qualified.lastIndexOf('$') + 1);
}

/** True when the resource at `urn` produces a digest-pinned image reference. */
function producesDigest(urn: string, byUrn: ReadonlyMap<string, PulumiResourceInput>): boolean {
  const type = typeFromUrn(urn);
  if (type === DIGEST_IMAGE_TYPES.remoteImage || type === DIGEST_IMAGE_TYPES.image) return true;
  if (type !== DIGEST_IMAGE_TYPES.buildImage) return false;
  const push = byUrn.get(urn)?.props?.push;
  return push === true;
}

const CONTAINER_TYPES: ReadonlySet<string | undefined> = new Set([
  PULUMI_TYPES.container,
  PULUMI_TYPES.service,
]);

/**
 * What a Pulumi resource's dependencies tell about a container: its image is a digest output
 * (when the image is not known yet and every resource it came from produces digests), and the
 * containers it depends on count as declared links.
 */
function applyDependencies(
  spec: ContainerSpec,
  r: PulumiResourceInput,
  byUrn: ReadonlyMap<string, PulumiResourceInput>,
): void {
  const pd = isPlainRecord(r.propertyDependencies) ? r.propertyDependencies : undefined;
  const from = pd !== undefined && Array.isArray(pd.image) ? pd.image : undefined;
  if (
    from !== undefined &&
    from.length > 0 &&
    isUnknown(spec.image) &&
    from.every((u) => typeof u === 'string' && producesDigest(u, byUrn))
  ) {
    const type = typeFromUrn(from[0]);
    if (type !== undefined) spec.imageDigestFrom = type;
  }
  if (spec.links !== undefined && isUnknown(spec.links)) return;
  const peers: string[] = [];
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const u of list) {
      if (typeof u === 'string' && u !== r.urn && CONTAINER_TYPES.has(typeFromUrn(u)) && !peers.includes(u))
        peers.push(u);
    }
  };
  add(r.dependencies);
  if (pd !== undefined) for (const k of Object.keys(pd)) add(pd[k]);
  if (peers.length > 0) spec.links = [...(spec.links ?? []), ...peers];
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sourceOf(
  given: Partial<SourceInfo> | undefined,
  type: string,
  fieldPaths: Readonly<Record<string, string>>,
  cannotExpress: ReadonlySet<keyof ContainerSpec> | undefined,
): SourceInfo {
  const s: SourceInfo = {
    kind: given?.kind ?? 'pulumi',
    name: given?.name ?? '(unnamed)',
    type: given?.type ?? type,
    fieldPaths: given?.fieldPaths ? { ...fieldPaths, ...given.fieldPaths } : fieldPaths,
  };
  if (given?.urn !== undefined) s.urn = given.urn;
  if (given?.parent !== undefined) s.parent = given.parent;
  if (given?.location !== undefined) s.location = given.location;
  if (given?.locations !== undefined) s.locations = given.locations;
  const cannot = given?.cannotExpress ?? cannotExpress;
  if (cannot !== undefined) s.cannotExpress = cannot;
  return s;
}

/**
 * `docker:index/container:Container` inputs → {@link ContainerSpec}. Sizes in MB become bytes,
 * `cpus` becomes nano-CPUs, `labels` (`[{label, value}]`) a map; `pidsLimit` is listed in
 * `source.cannotExpress` because `docker.Container` has no such input. Never throws: a field of
 * the wrong type is {@link UNKNOWN}.
 */
export function fromPulumiContainerArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): ContainerSpec {
  return containerFromProps(
    props,
    sourceOf(source, PULUMI_TYPES.container, CONTAINER_PATHS, CONTAINER_CANNOT),
    PLAIN,
  );
}

/**
 * `docker:index/service:Service` (swarm) inputs → {@link ContainerSpec}. What a service cannot
 * set (security options, pids limit, ulimits, tmpfs map, swap) is listed in
 * `source.cannotExpress`. Never throws.
 */
export function fromPulumiServiceArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): ContainerSpec {
  return serviceFromProps(
    props,
    sourceOf(source, PULUMI_TYPES.service, SERVICE_PATHS, SERVICE_CANNOT),
    PLAIN,
  );
}

/** `docker:index/network:Network` inputs → {@link NetworkSpec}. Never throws. */
export function fromPulumiNetworkArgs(
  props: Record<string, unknown>,
  source?: Partial<SourceInfo>,
): NetworkSpec {
  return networkFromProps(props, sourceOf(source, PULUMI_TYPES.network, NETWORK_PATHS, undefined), PLAIN);
}

/**
 * Picks the docker containers, services and networks out of a list of Pulumi resources (by type
 * token) and converts them; other resources are ignored. Never throws.
 */
export function fromPulumiResources(resources: readonly PulumiResourceInput[]): ResourceSet {
  return resourcesFrom(resources, 'pulumi', PLAIN);
}

/** {@link fromPulumiResources} with the input kind and encoding of a file format. */
export function resourcesFrom(
  resources: readonly PulumiResourceInput[],
  kind: InputKind,
  ctx: ReadContext,
): ResourceSet {
  const out: ResourceSet = { containers: [], networks: [] };
  if (!Array.isArray(resources)) return out;
  // docker-build images, by URN: whether one pushes decides what its outputs are.
  const byUrn = new Map<string, PulumiResourceInput>();
  for (const r of resources) {
    if (
      typeof r === 'object' &&
      r !== null &&
      r.type === DIGEST_IMAGE_TYPES.buildImage &&
      typeof r.urn === 'string'
    )
      byUrn.set(r.urn, r);
  }
  for (const r of resources) {
    if (typeof r !== 'object' || r === null) continue;
    const type = r.type;
    if (type !== PULUMI_TYPES.container && type !== PULUMI_TYPES.service && type !== PULUMI_TYPES.network)
      continue;
    const given: Partial<SourceInfo> = {
      kind,
      name: typeof r.name === 'string' ? r.name : '(unnamed)',
      type,
    };
    if (typeof r.urn === 'string') given.urn = r.urn;
    if (typeof r.parent === 'string') given.parent = r.parent;
    if (r.location !== undefined) given.location = r.location;
    if (type === PULUMI_TYPES.container) {
      const spec = containerFromProps(r.props, sourceOf(given, type, CONTAINER_PATHS, CONTAINER_CANNOT), ctx);
      if (r.dependencies !== undefined || r.propertyDependencies !== undefined)
        applyDependencies(spec, r, byUrn);
      out.containers.push(spec);
    } else if (type === PULUMI_TYPES.service) {
      const spec = serviceFromProps(r.props, sourceOf(given, type, SERVICE_PATHS, SERVICE_CANNOT), ctx);
      // A service's image sits inside `taskSpec`, whose dependencies cover the whole task: only links.
      if (r.dependencies !== undefined) applyDependencies(spec, { ...r, propertyDependencies: {} }, byUrn);
      out.containers.push(spec);
    } else {
      out.networks.push(networkFromProps(r.props, sourceOf(given, type, NETWORK_PATHS, undefined), ctx));
    }
  }
  return out;
}
