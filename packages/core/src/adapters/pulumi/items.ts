/**
 * Readers of the list and object inputs `docker.Container` and `docker.Service` share (mounts,
 * networks, ports, labels, health checks…), each turning one raw input into spec items that
 * remember their `origin` in the input. Nothing here throws.
 */
import type {
  DeviceSpec,
  EnvSpec,
  HealthcheckSpec,
  MountSpec,
  NetworkAttachmentSpec,
  PortSpec,
  RestartSpec,
  UlimitSpec,
} from '../../model/spec.js';
import { isUnknown, type MaybeSecret, markSecretKeys, UNKNOWN, type Val } from '../../model/value.js';
import {
  bool,
  envEntry,
  get,
  list,
  num,
  obj,
  peel,
  put,
  type ReadContext,
  SEALED,
  secretStr,
  setKey,
  str,
  strList,
} from '../read.js';

/** True when the raw value is a secret whose content is not in the input. */
export function isSealed(raw: unknown, ctx: ReadContext): boolean {
  return raw !== undefined && raw !== null && peel(raw, false, ctx).v === SEALED;
}

/**
 * A whole environment that is secret and encrypted (a stack export) or hidden (a preview): every
 * value in it is a secret, but neither the names nor the count are known. It is represented as
 * one entry with an unknown name and a sealed value, so `no-secrets-in-env` can see it is managed
 * as a secret while nothing reads its content.
 */
export function sealedEnv(origin: string): EnvSpec {
  return { name: UNKNOWN, value: SEALED, origin };
}

export function envList(raw: unknown, ctx: ReadContext): Val<EnvSpec[]> | undefined {
  if (isSealed(raw, ctx)) return [sealedEnv('envs')];
  return list(raw, (el, s, i) => envEntry(el, s, `envs[${i}]`, ctx), ctx);
}

/** Concatenates two optional lists; unknown if either is. */
export function joinLists<T>(a: Val<T[]> | undefined, b: Val<T[]> | undefined): Val<T[]> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
  return [...a, ...b];
}

export function unknownMount(origin: string): MountSpec {
  return { type: UNKNOWN, source: UNKNOWN, target: UNKNOWN, readOnly: UNKNOWN, origin };
}

export function unknownPort(origin: string): PortSpec {
  return { containerPort: UNKNOWN, hostPort: UNKNOWN, hostIp: UNKNOWN, protocol: UNKNOWN, origin };
}

const MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']);

export function mountType(raw: unknown, ctx: ReadContext): MountSpec['type'] {
  const t = str(raw, ctx);
  if (t === undefined || isUnknown(t)) return UNKNOWN;
  return MOUNT_TYPES.has(t) ? (t as MountSpec['type']) : UNKNOWN;
}

export function volumeList(raw: unknown, ctx: ReadContext): Val<MountSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `volumes[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownMount(origin);
      if (get(o, 'fromContainer') !== undefined) return unknownMount(origin); // every volume of another container
      const host = str(get(o, 'hostPath'), ctx);
      const volume = str(get(o, 'volumeName'), ctx);
      const m: MountSpec = {
        type: host !== undefined ? (isUnknown(host) ? UNKNOWN : 'bind') : 'volume',
        target: str(get(o, 'containerPath'), ctx) ?? UNKNOWN,
        origin,
      };
      put(m, 'source', host ?? volume);
      put(m, 'readOnly', bool(get(o, 'readOnly'), ctx));
      return m;
    },
    ctx,
  );
}

export function mountList(raw: unknown, path: string, ctx: ReadContext): Val<MountSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `${path}[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownMount(origin);
      const m: MountSpec = {
        type: mountType(get(o, 'type'), ctx),
        target: str(get(o, 'target'), ctx) ?? UNKNOWN,
        origin,
      };
      put(m, 'source', str(get(o, 'source'), ctx));
      put(m, 'readOnly', bool(get(o, 'readOnly'), ctx));
      const bind = obj(get(o, 'bindOptions'), ctx);
      if (bind !== undefined)
        m.propagation = isUnknown(bind) ? UNKNOWN : (str(get(bind, 'propagation'), ctx) ?? 'rprivate');
      return m;
    },
    ctx,
  );
}

export function networkList(
  raw: unknown,
  path: string,
  ctx: ReadContext,
): Val<NetworkAttachmentSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `${path}[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return { name: UNKNOWN, aliases: UNKNOWN, origin };
      const n: NetworkAttachmentSpec = {
        name: str(get(o, 'name'), ctx) ?? str(get(o, 'id'), ctx) ?? UNKNOWN,
        origin,
      };
      put(n, 'aliases', strList(get(o, 'aliases'), ctx));
      return n;
    },
    ctx,
  );
}

export function deviceList(raw: unknown, ctx: ReadContext): Val<DeviceSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `devices[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o))
        return { hostPath: UNKNOWN, containerPath: UNKNOWN, permissions: UNKNOWN, origin };
      const d: DeviceSpec = { hostPath: str(get(o, 'hostPath'), ctx) ?? UNKNOWN, origin };
      put(d, 'containerPath', str(get(o, 'containerPath'), ctx));
      put(d, 'permissions', str(get(o, 'permissions'), ctx));
      return d;
    },
    ctx,
  );
}

/** `deviceRequests` as the `--gpus` value it amounts to (`all`, `device=0,2`, `2`). */
export function gpusFromRequests(raw: unknown, ctx: ReadContext): Val<string> | undefined {
  const reqs = list(
    raw,
    (el) => {
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return UNKNOWN;
      const ids = strList(get(o, 'deviceIds'), ctx);
      if (ids !== undefined)
        return isUnknown(ids) || ids.some(isUnknown) ? UNKNOWN : `device=${ids.join(',')}`;
      const count = num(get(o, 'count'), ctx);
      if (count === undefined || count === -1) return 'all';
      return isUnknown(count) ? UNKNOWN : String(count);
    },
    ctx,
  );
  if (reqs === undefined) return undefined;
  if (isUnknown(reqs)) return UNKNOWN;
  if (reqs.length === 0) return undefined;
  return reqs.some(isUnknown) ? UNKNOWN : (reqs as string[]).join(' ');
}

export function portList(raw: unknown, ctx: ReadContext): Val<PortSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `ports[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return unknownPort(origin);
      const port: PortSpec = {
        containerPort: num(get(o, 'internal'), ctx) ?? UNKNOWN,
        origin,
      };
      put(port, 'hostPort', num(get(o, 'external'), ctx));
      const ip = str(get(o, 'ip'), ctx);
      // The provider's default `0.0.0.0` is "all interfaces", the same as absent.
      if (ip !== undefined && ip !== '0.0.0.0' && ip !== '') port.hostIp = ip;
      put(port, 'protocol', str(get(o, 'protocol'), ctx));
      return port;
    },
    ctx,
  );
}

export function healthcheck(raw: unknown, ctx: ReadContext): Val<HealthcheckSpec> | undefined {
  const o = obj(raw, ctx);
  if (o === undefined || isUnknown(o)) return o;
  const test = strList(get(o, 'tests'), ctx);
  const h: HealthcheckSpec = {};
  put(h, 'test', test);
  if (test !== undefined && !isUnknown(test) && test[0] === 'NONE') h.disabled = true;
  return h;
}

export function restart(policy: unknown, retries: unknown, ctx: ReadContext): Val<RestartSpec> | undefined {
  const p = str(policy, ctx);
  const n = num(retries, ctx);
  if (p === undefined && n === undefined) return undefined;
  const r: RestartSpec = { policy: p ?? 'no' };
  put(r, 'maxRetries', n);
  return r;
}

export function ulimitList(raw: unknown, ctx: ReadContext): Val<UlimitSpec[]> | undefined {
  return list(
    raw,
    (el, _s, i) => {
      const origin = `ulimits[${i}]`;
      const o = obj(el, ctx);
      if (o === undefined || isUnknown(o)) return { name: UNKNOWN, soft: UNKNOWN, hard: UNKNOWN, origin };
      return {
        name: str(get(o, 'name'), ctx) ?? UNKNOWN,
        soft: num(get(o, 'soft'), ctx) ?? UNKNOWN,
        hard: num(get(o, 'hard'), ctx) ?? UNKNOWN,
        origin,
      };
    },
    ctx,
  );
}

/**
 * `[{label, value}]` → map. An unknown label *name* makes the whole map unknown (any exemption
 * or role label could be hiding behind it).
 */
export function labelList(raw: unknown, ctx: ReadContext): Val<Record<string, Val<MaybeSecret>>> | undefined {
  let secretKeys = false;
  const items = list(
    raw,
    (el, s) => {
      const o = peel(el, s, ctx);
      if (o.s) secretKeys = true;
      if (o.v === SEALED || typeof o.v !== 'object' || o.v === null || isUnknown(o.v)) return UNKNOWN;
      const label = str(get(o.v, 'label'), ctx);
      if (label === undefined || isUnknown(label)) return UNKNOWN;
      return [label, secretStr(get(o.v, 'value'), o.s, ctx) ?? ''] as const;
    },
    ctx,
  );
  if (items === undefined || isUnknown(items)) return items;
  const out: Record<string, Val<MaybeSecret>> = {};
  for (const it of items) {
    if (isUnknown(it)) return UNKNOWN;
    setKey(out, it[0], it[1]);
  }
  return secretKeys ? markSecretKeys(out) : out;
}
