/**
 * The rule test kit's writers: one normalized {@link ContainerSpec} or {@link NetworkSpec} written
 * back as each input kind a user gives Bulkhead (a compose service, Pulumi `ContainerArgs`,
 * `docker inspect` output), so that the kit can read it again through the real adapter and check
 * that a rule reaches the same verdict whatever the input. A field that has no representation in
 * an input kind is reported, never dropped in silence: the kit turns it into a declared skip.
 */

import { COMPOSE_NO_SETTING, COMPOSE_SERVICE_FIELDS } from '../adapters/compose/service.js';
import { COMPOSE_NETWORK_FIELDS } from '../adapters/compose.js';
import {
  type FieldReader,
  type FieldTable,
  NOT_IN_TABLES,
  type NoSetting,
  type Shape,
} from '../adapters/fields.js';
import { INSPECT_CONTAINER_FIELDS, INSPECT_NETWORK_FIELDS } from '../adapters/inspect.js';
import { CONTAINER_NO_SETTING, PULUMI_CONTAINER_FIELDS } from '../adapters/pulumi/container.js';
import { PULUMI_NETWORK_FIELDS } from '../adapters/pulumi/network.js';
import { PULUMI_TYPES, type PulumiResourceInput } from '../adapters/pulumi.js';
import { UNKNOWN_SENTINEL as PULUMI_UNKNOWN, SECRET_SIG, SIG_KEY } from '../adapters/read.js';
import type { ContainerSpec, MountSpec, NetworkSpec, ResourceSet } from '../model/spec.js';
import { isSecret, isUnknown, reveal } from '../model/value.js';

/** The input kinds the kit writes a case as. */
export const INPUT_KINDS = ['compose', 'pulumi', 'inspect'] as const;
/** An input kind the kit writes a case as. */
export type KitInputKind = (typeof INPUT_KINDS)[number];

/** A spec written as one input kind, with the fields it could not carry and why. */
export interface Written {
  /** The input as the user would give it (a compose file's text, Pulumi args, inspect JSON). */
  input: unknown;
  /** Spec field → why this input kind cannot represent its value. */
  unrepresentable: Record<string, string>;
}

/** Thrown by a writer for a value one input kind cannot hold. */
class Unrepresentable extends Error {}

/** A compose variable the kit never sets: `${…}` of it reads as an unset variable (unknown). */
export const COMPOSE_UNSET = 'BULKHEAD_TESTKIT_UNSET';

type Writer = (v: unknown) => unknown;

/**
 * Writes leaves: unknowns and secrets the way each input kind carries them, and `$` in a compose
 * string as `$$` (compose would interpolate it).
 */
function leaf(kind: KitInputKind): Writer {
  const known: Writer =
    kind === 'compose' ? (v) => (typeof v === 'string' ? v.split('$').join('$$') : v) : (v) => v;
  return (v) => {
    if (isUnknown(v)) {
      if (kind === 'pulumi') return PULUMI_UNKNOWN;
      if (kind === 'compose') return `\${${COMPOSE_UNSET}}`;
      throw new Unrepresentable('a live container reports every value: nothing is unknown');
    }
    if (isSecret(v))
      return kind === 'pulumi' ? { [SIG_KEY]: SECRET_SIG, value: reveal(v) } : known(reveal(v));
    return known(v);
  };
}

/** Maps a known list (or an unknown one) item by item. */
function each<T>(v: unknown, w: Writer, item: (x: T) => unknown): unknown {
  return isUnknown(v) ? w(v) : (v as T[]).map((x) => (isUnknown(x) ? w(x) : item(x)));
}

/** Maps a known record's values. */
function values(v: unknown, w: Writer): unknown {
  if (isUnknown(v)) return w(v);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, w(x)]));
}

const none = (kind: string, what: string) => {
  throw new Unrepresentable(`${kind} has no ${what}`);
};

/** Writes one spec field's value `v` onto an input object, leaves through `w`. */
type Setter = (target: Record<string, unknown>, v: unknown, w: Writer) => void;

/**
 * The kit's own writers, per input kind, for the fields an input does not hold as the spec does
 * (a different unit, a string to assemble, items with other names). Every other field is written
 * from its adapter's table row ({@link FieldReader.as}) or declared unrepresentable from the
 * adapter's {@link NoSetting}.
 */
const COMPOSE: Record<string, Setter> = {
  tmpfs: (s, v, w) =>
    (s.tmpfs = isUnknown(v)
      ? w(v)
      : Object.entries(v as Record<string, unknown>).map(([k, o]) =>
          isUnknown(o)
            ? none('compose', 'unknown options of one tmpfs entry')
            : w(o === '' ? k : `${k}:${o}`),
        )),
  mounts: (s, v, w) =>
    (s.volumes = each<MountSpec>(v, w, (m) => {
      const out: Record<string, unknown> = { type: w(m.type), target: w(m.target) };
      if (m.source !== undefined) out.source = w(m.source);
      if (m.readOnly !== undefined) out.read_only = w(m.readOnly);
      if (m.propagation !== undefined) out.bind = { propagation: w(m.propagation) };
      return out;
    })),
  networks: (s, v, w) =>
    (s.networks = each<{ name: unknown }>(v, w, (n) =>
      isUnknown(n.name) ? none('compose', 'unknown network key') : w(n.name),
    )),
  nanoCpus: (s, v, w) => (s.cpus = isUnknown(v) ? w(v) : (v as number) / 1e9),
  devices: (s, v, w) =>
    (s.devices = each<{ hostPath: unknown; containerPath?: unknown; permissions?: unknown }>(v, w, (d) =>
      w(
        [d.hostPath, d.containerPath ?? d.hostPath, d.permissions]
          .filter((x) => x !== undefined)
          .map((x) => (isUnknown(x) ? none('compose', 'unknown part of a device string') : x))
          .join(':'),
      ),
    )),
  ports: (s, v, w) =>
    (s.ports = each<Record<string, unknown>>(v, w, (p) => {
      const out: Record<string, unknown> = { target: w(p.containerPort) };
      if (p.hostPort !== undefined) out.published = w(p.hostPort);
      if (p.hostIp !== undefined) out.host_ip = w(p.hostIp);
      if (p.protocol !== undefined) out.protocol = w(p.protocol);
      return out;
    })),
  healthcheck: (s, v, w) => {
    if (isUnknown(v)) s.healthcheck = w(v);
    else {
      const h = v as { test?: unknown; disabled?: unknown };
      s.healthcheck = {
        ...(h.test !== undefined ? { test: each(h.test, w, w) } : {}),
        ...(h.disabled === true ? { disable: true } : {}),
      };
    }
  },
  restart: (s, v, w) => {
    if (isUnknown(v)) s.restart = w(v);
    else {
      const r = v as { policy: unknown; maxRetries?: unknown };
      if (isUnknown(r.policy) || isUnknown(r.maxRetries)) none('compose', 'unknown part of `restart:`');
      s.restart = r.maxRetries === undefined ? w(r.policy) : `${w(r.policy)}:${r.maxRetries}`;
    }
  },
  ulimits: (s, v, w) =>
    (s.ulimits = isUnknown(v)
      ? w(v)
      : Object.fromEntries(
          (v as { name: unknown; soft: unknown; hard: unknown }[]).map((u) => {
            if (isUnknown(u) || isUnknown(u.name)) none('compose', 'an unknown ulimit name');
            return [u.name as string, { soft: w(u.soft), hard: w(u.hard) }];
          }),
        )),
  env: (s, v, w) =>
    (s.environment = isUnknown(v)
      ? w(v)
      : Object.fromEntries(
          (v as { name: unknown; value?: unknown }[]).map((e) => {
            if (isUnknown(e) || isUnknown(e.name)) none('compose', 'an unknown variable name');
            return [e.name as string, e.value === undefined ? null : w(e.value)];
          }),
        )),
};

const mb = (bytes: number) => bytes / (1024 * 1024);

/** The kit's own writers for Pulumi `ContainerArgs` (see {@link COMPOSE}). */
const PULUMI: Record<string, Setter> = {
  mounts: (a, v, w) =>
    (a.mounts = each<MountSpec>(v, w, (m) => {
      const out: Record<string, unknown> = { type: w(m.type), target: w(m.target) };
      if (m.source !== undefined) out.source = w(m.source);
      if (m.readOnly !== undefined) out.readOnly = w(m.readOnly);
      if (m.propagation !== undefined) out.bindOptions = { propagation: w(m.propagation) };
      return out;
    })),
  networks: (a, v, w) => (a.networksAdvanced = each<{ name: unknown }>(v, w, (n) => ({ name: w(n.name) }))),
  memory: (a, v, w) => (a.memory = isUnknown(v) ? w(v) : mb(v as number)),
  memorySwap: (a, v, w) => (a.memorySwap = isUnknown(v) ? w(v) : mb(v as number)),
  nanoCpus: (a, v, w) => (a.cpus = isUnknown(v) ? w(v) : String((v as number) / 1e9)),
  devices: (a, v, w) =>
    (a.devices = each<Record<string, unknown>>(v, w, (d) =>
      Object.fromEntries(
        Object.entries(d)
          .filter(([k]) => k !== 'origin')
          .map(([k, x]) => [k, w(x)]),
      ),
    )),
  ports: (a, v, w) =>
    (a.ports = each<Record<string, unknown>>(v, w, (p) => {
      const out: Record<string, unknown> = { internal: w(p.containerPort) };
      if (p.hostPort !== undefined) out.external = w(p.hostPort);
      if (p.hostIp !== undefined) out.ip = w(p.hostIp);
      if (p.protocol !== undefined) out.protocol = w(p.protocol);
      return out;
    })),
  healthcheck: (a, v, w) => {
    if (isUnknown(v)) a.healthcheck = w(v);
    else {
      const h = v as { test?: unknown; disabled?: unknown };
      a.healthcheck = h.test !== undefined ? { tests: each(h.test, w, w) } : {};
    }
  },
  restart: (a, v, w) => {
    if (isUnknown(v)) a.restart = w(v);
    else {
      const r = v as { policy: unknown; maxRetries?: unknown };
      a.restart = w(r.policy);
      if (r.maxRetries !== undefined) a.maxRetryCount = w(r.maxRetries);
    }
  },
  ulimits: (a, v, w) =>
    (a.ulimits = each<Record<string, unknown>>(v, w, (u) => ({
      name: w(u.name),
      soft: w(u.soft),
      hard: w(u.hard),
    }))),
  env: (a, v, w) =>
    (a.envs = each<{ name: unknown; value?: unknown }>(v, w, (e) => {
      if (isUnknown(e.name) || isUnknown(e.value))
        none('Pulumi `envs`', 'unknown half of one `KEY=VALUE` string');
      if (e.value === undefined) return e.name;
      const text = `${e.name}=${isSecret(e.value) ? reveal(e.value) : e.value}`;
      return isSecret(e.value) ? { [SIG_KEY]: SECRET_SIG, value: text } : text;
    })),
  labels: (a, v, w) =>
    (a.labels = isUnknown(v)
      ? w(v)
      : Object.entries(v as Record<string, unknown>).map(([label, value]) => ({ label, value: w(value) }))),
};

/** The kit's own writers for `docker inspect` output (see {@link COMPOSE}). */
const INSPECT: Record<string, Setter> = {
  mounts: (c, v, w) =>
    (c.Mounts = each<MountSpec>(v, w, (m) => ({
      Type: w(m.type),
      ...(m.source !== undefined ? { Source: w(m.source) } : {}),
      Destination: w(m.target),
      RW: m.readOnly === undefined ? true : !w(m.readOnly),
      ...(m.propagation !== undefined ? { Propagation: w(m.propagation) } : {}),
    }))),
  networks: (c, v, w) =>
    (c.NetworkSettings = {
      Networks: isUnknown(v)
        ? w(v)
        : Object.fromEntries((v as { name: unknown }[]).map((n) => [w(n.name) as string, {}])),
    }),
  devices: (c, v, w) =>
    (host(c).Devices = each<Record<string, unknown>>(v, w, (d) => ({
      PathOnHost: w(d.hostPath),
      PathInContainer: w(d.containerPath ?? d.hostPath),
      CgroupPermissions: w(d.permissions ?? 'rwm'),
    }))),
  gpus: (c, v) =>
    (host(c).DeviceRequests =
      v === 'all'
        ? [{ Driver: '', Count: -1, Capabilities: [['gpu']] }]
        : none('this writer', `gpus other than all`)),
  ports: (c, v, w) => {
    const out: Record<string, unknown[]> = {};
    for (const p of v as Record<string, unknown>[]) {
      const key = `${w(p.containerPort)}/${p.protocol ?? 'tcp'}`;
      out[key] = out[key] ?? [];
      out[key].push({
        HostIp: p.hostIp === undefined ? '' : w(p.hostIp),
        HostPort: p.hostPort === undefined ? '' : String(w(p.hostPort)),
      });
    }
    host(c).PortBindings = out;
  },
  healthcheck: (c, v, w) => {
    const h = v as { test?: unknown; disabled?: unknown };
    (c.Config as Record<string, unknown>).Healthcheck = {
      Test: h.disabled === true ? ['NONE'] : each(h.test, w, w),
    };
  },
  restart: (c, v, w) => {
    const r = v as { policy: unknown; maxRetries?: unknown };
    host(c).RestartPolicy = { Name: w(r.policy), MaximumRetryCount: w(r.maxRetries ?? 0) };
  },
  ulimits: (c, v, w) =>
    (host(c).Ulimits = each<Record<string, unknown>>(v, w, (u) => ({
      Name: w(u.name),
      Soft: w(u.soft),
      Hard: w(u.hard),
    }))),
  env: (c, v, w) =>
    ((c.Config as Record<string, unknown>).Env = each<{ name: unknown; value?: unknown }>(v, w, (e) =>
      e.value === undefined ? e.name : `${e.name}=${w(e.value)}`,
    )),
};

const host = (c: Record<string, unknown>) => c.HostConfig as Record<string, unknown>;

/** Sets `path` (dotted) on `target`, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object') at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = v;
}

/** A field held as the spec holds it at `path` ({@link Shape}), written there. */
function asIs(path: string, shape: Shape): Setter {
  return (t, v, w) =>
    setPath(t, path, shape === 'list' ? each(v, w, w) : shape === 'map' ? values(v, w) : w(v));
}

/**
 * An input kind as the kit writes one resource scope: its adapter's table, what the input has no
 * setting for (with why), and the kit's own writers.
 */
interface InputWriting {
  table: FieldTable<never, never>;
  noSetting: Readonly<Record<string, string | undefined>>;
  own: Record<string, Setter>;
}

type Scope = 'container' | 'network';

const table = (t: object) => t as FieldTable<never, never>;

const WRITING: Record<Scope, Record<KitInputKind, InputWriting>> = {
  container: {
    compose: {
      table: table(COMPOSE_SERVICE_FIELDS),
      noSetting: { ...notInTables('compose'), ...COMPOSE_NO_SETTING },
      own: COMPOSE,
    },
    pulumi: {
      table: table(PULUMI_CONTAINER_FIELDS),
      noSetting: { ...notInTables('Pulumi `ContainerArgs`'), ...CONTAINER_NO_SETTING },
      own: PULUMI,
    },
    inspect: {
      table: table(INSPECT_CONTAINER_FIELDS),
      noSetting: notInTables('docker inspect'),
      own: INSPECT,
    },
  },
  network: {
    compose: { table: table(COMPOSE_NETWORK_FIELDS), noSetting: {}, own: {} },
    pulumi: {
      table: table(PULUMI_NETWORK_FIELDS),
      noSetting: {},
      own: { labels: PULUMI.labels! },
    },
    inspect: { table: table(INSPECT_NETWORK_FIELDS), noSetting: {}, own: {} },
  },
};

/** {@link NOT_IN_TABLES}' reasons, said of one input kind. */
function notInTables(label: string): Record<string, string> {
  return Object.fromEntries(Object.entries(NOT_IN_TABLES).map(([f, why]) => [f, `${label} has ${why}`]));
}

/**
 * Spec field → how the kit writes it as one input kind: the kit's own writer, else the table
 * row's path when the input holds the value as it is, else a writer that declares why the input
 * cannot (it has no such setting, or no table reads the field). A row with neither has no setter:
 * {@link writeFields} reports it, and a test keeps {@link fieldsWithoutWriter} empty.
 */
function settersFor(scope: Scope, kind: KitInputKind): Readonly<Record<string, Setter>> {
  const { table, noSetting, own } = WRITING[scope][kind];
  const cannot =
    (why: string): Setter =>
    () => {
      throw new Unrepresentable(why);
    };
  const out: Record<string, Setter> = {};
  for (const [field, why] of Object.entries(noSetting)) out[field] = cannot(why as string);
  for (const [field, row] of Object.entries(table) as [string, FieldReader<never, never, never>][])
    if (row.as) out[field] = asIs(row.path, row.as);
  return Object.freeze(Object.assign(out, own));
}

const SETTERS = Object.fromEntries(
  (['container', 'network'] as const).map((scope) => [
    scope,
    Object.fromEntries(INPUT_KINDS.map((kind) => [kind, settersFor(scope, kind)])),
  ]),
) as Record<Scope, Record<KitInputKind, Readonly<Record<string, Setter>>>>;

/**
 * The fields an input kind's table reads but the kit cannot write: a row that neither says the
 * input holds the value as it is nor has a kit writer (a test keeps this empty).
 */
export function fieldsWithoutWriter(kind: KitInputKind, scope: Scope = 'container'): string[] {
  const { table, own } = WRITING[scope][kind];
  return Object.entries(table)
    .filter(([field, row]) => !(row as { as?: Shape }).as && !own[field])
    .map(([field]) => field);
}

/**
 * Runs the setter of every field of `spec` that has a value (but its `source`, and a network's
 * `name`, which the caller writes), collecting what cannot be written.
 */
function writeFields(
  spec: object,
  target: Record<string, unknown>,
  kind: KitInputKind,
  scope: Scope = 'container',
): Record<string, string> {
  const unrepresentable: Record<string, string> = {};
  const w = leaf(kind);
  const setters = SETTERS[scope][kind];
  for (const [field, v] of Object.entries(spec)) {
    if (field === 'source' || (scope === 'network' && field === 'name') || v === undefined) continue;
    try {
      const set = setters[field];
      if (!set) throw new Unrepresentable(`the test kit has no ${kind} ${scope} writer for \`${field}\``);
      set(target, v, w);
    } catch (e) {
      if (!(e instanceof Unrepresentable)) throw e;
      unrepresentable[field] = e.message;
    }
  }
  return unrepresentable;
}

/** The compose project name the kit writes; engine network names are `<project>_<key>`. */
export const KIT_PROJECT = 'kit';

/**
 * `spec` as a compose file (its text) with one service named after `spec.source.name`. Networks
 * the service names are declared at the top level, under their own names.
 */
export function writeCompose(spec: ContainerSpec, networks: readonly NetworkSpec[] = []): Written {
  return writeComposeStack({ containers: [spec], networks: [...networks] });
}

/** A resource set as one compose file: a service per container, the networks declared by name. */
export function writeComposeStack(set: ResourceSet): Written {
  const unrepresentable: Record<string, string> = {};
  const services: Record<string, unknown> = {};
  const declared: Record<string, Record<string, unknown>> = {};
  const volumes: Record<string, unknown> = {};
  for (const n of set.networks) Object.assign(declared, composeNetwork(n, unrepresentable));
  for (const spec of set.containers) {
    const svc: Record<string, unknown> = {};
    Object.assign(unrepresentable, writeFields(spec, svc, 'compose'));
    if (Array.isArray(svc.networks))
      for (const key of svc.networks as string[]) declared[key] ??= { name: key };
    // Named volumes the service mounts are declared at the top level, as compose requires.
    if (Array.isArray(svc.volumes))
      for (const v of svc.volumes as Record<string, unknown>[])
        if (v.type === 'volume' && typeof v.source === 'string') volumes[v.source] = {};
    services[spec.source.name] = svc;
  }
  const doc = {
    name: KIT_PROJECT,
    services,
    ...(Object.keys(declared).length > 0 ? { networks: declared } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  return { input: JSON.stringify(doc, null, 2), unrepresentable };
}

/** A resource set as Pulumi resources (`docker.Container` and `docker.Network` inputs). */
export function writePulumiStack(set: ResourceSet): {
  input: PulumiResourceInput[];
  unrepresentable: Record<string, string>;
} {
  const unrepresentable: Record<string, string> = {};
  const input: PulumiResourceInput[] = [];
  const urn = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;
  for (const n of set.networks) {
    const w = writePulumiNetwork(n);
    Object.assign(unrepresentable, w.unrepresentable);
    const name = n.source.name;
    input.push({
      type: PULUMI_TYPES.network,
      name,
      urn: urn(PULUMI_TYPES.network, name),
      props: w.input as Record<string, unknown>,
    });
  }
  for (const c of set.containers) {
    const w = writePulumi(c);
    Object.assign(unrepresentable, w.unrepresentable);
    const name = c.source.name;
    input.push({
      type: PULUMI_TYPES.container,
      name,
      urn: urn(PULUMI_TYPES.container, name),
      props: w.input as Record<string, unknown>,
    });
  }
  return { input, unrepresentable };
}

/** A resource set as `docker inspect` output of its containers and networks. */
export function writeInspectStack(set: ResourceSet): Written {
  const unrepresentable: Record<string, string> = {};
  const out: unknown[] = [];
  for (const n of set.networks) {
    const w = writeInspectNetwork(n);
    Object.assign(unrepresentable, w.unrepresentable);
    out.push(...(w.input as unknown[]));
  }
  for (const c of set.containers) {
    const w = writeInspect(c);
    Object.assign(unrepresentable, w.unrepresentable);
    out.push(...(w.input as unknown[]));
  }
  return { input: out, unrepresentable };
}

function composeNetwork(n: NetworkSpec, unrepresentable: Record<string, string>): Record<string, unknown> {
  if (isUnknown(n.name)) {
    unrepresentable.name = 'compose has no unknown network key';
    return {};
  }
  const out: Record<string, unknown> = { name: n.name };
  Object.assign(unrepresentable, writeFields(n, out, 'compose', 'network'));
  return { [n.name as string]: out };
}

/** `spec` as Pulumi `docker.Container` arguments. */
export function writePulumi(spec: ContainerSpec): Written {
  const args: Record<string, unknown> = { name: spec.source.name };
  const unrepresentable = writeFields(spec, args, 'pulumi');
  return { input: args, unrepresentable };
}

/** `spec` as `docker inspect` output of one container (an array of one object). */
export function writeInspect(spec: ContainerSpec): Written {
  const c: Record<string, unknown> = {
    Name: `/${spec.source.name}`,
    Config: {},
    HostConfig: { LogConfig: {} },
    NetworkSettings: { Networks: {} },
  };
  const unrepresentable = writeFields(spec, c, 'inspect');
  return { input: [c], unrepresentable };
}

/** `spec` as Pulumi `docker.Network` arguments. */
export function writePulumiNetwork(n: NetworkSpec): Written {
  const args: Record<string, unknown> = { name: leaf('pulumi')(n.name) };
  return { input: args, unrepresentable: writeFields(n, args, 'pulumi', 'network') };
}

/**
 * `spec` as `docker network inspect` output: the engine reports every setting, so what the spec
 * leaves out is written as the engine's default.
 */
export function writeInspectNetwork(n: NetworkSpec): Written {
  const unrepresentable: Record<string, string> = {};
  const out: Record<string, unknown> = {
    Name: n.name,
    Driver: 'bridge',
    Scope: 'local',
    Internal: false,
    Attachable: false,
    EnableIPv6: false,
    Options: {},
    Labels: {},
  };
  try {
    out.Name = leaf('inspect')(n.name);
  } catch (e) {
    if (!(e instanceof Unrepresentable)) throw e;
    unrepresentable.name = e.message;
  }
  Object.assign(unrepresentable, writeFields(n, out, 'inspect', 'network'));
  return { input: [out], unrepresentable };
}

/** `spec` as a compose file declaring only this network (and no service). */
export function writeComposeNetwork(n: NetworkSpec): Written {
  const unrepresentable: Record<string, string> = {};
  const declared = composeNetwork(n, unrepresentable);
  const key = Object.keys(declared)[0];
  const services = { probe: { image: 'probe', ...(key === undefined ? {} : { networks: [key] }) } };
  return { input: JSON.stringify({ name: KIT_PROJECT, services, networks: declared }), unrepresentable };
}
