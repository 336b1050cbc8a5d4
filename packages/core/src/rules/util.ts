import type { ContainerSpec, NetworkSpec, PortSpec } from '../model/spec.js';
import { isSecret, isUnknown, type MaybeSecret, reveal, type Val } from '../model/value.js';
import { fail, type Outcome, pass, type StackOutcome, unknown } from './types.js';

/** A known list item with its index, or the index of an unknown one. */
export type Item<T> = { index: number; value: T; known: true } | { index: number; known: false };

/**
 * Items of a possibly-unknown list. Returns `'unknown'` when the list itself is unknown and an
 * empty array when it is absent.
 */
export function items<T>(list: Val<Val<T>[]> | undefined): Item<T>[] | 'unknown' {
  if (list === undefined) return [];
  if (isUnknown(list)) return 'unknown';
  if (!Array.isArray(list)) return 'unknown';
  return list.map((v, index) =>
    isUnknown(v) || v === undefined ? { index, known: false } : { index, value: v as T, known: true },
  );
}

/** One parsed `--security-opt` entry. */
export interface SecurityOpt {
  index: number;
  /** Lower-cased option name: `no-new-privileges`, `seccomp`, `apparmor`, `label`, `systempaths`. */
  key: string;
  /** The value after `=` or `:`; empty when the option has none. */
  value: string;
}

/** Number of the evaluation running now; 0 when none is. */
let running = 0;
let evaluations = 0;

/**
 * Runs `fn` as one evaluation: while it runs, the parsers below ({@link securityOpts}, {@link caps},
 * {@link hostSources}, {@link attachments}) parse each spec or list once and every rule shares the
 * result, instead of each of the seven security-option rules parsing the same list again
 * (`securityOpts` and `hostSources` keep only the latest spec's parse: evaluate runs a spec's
 * rules together).
 * Outside it they parse on every call, so a spec changed between evaluations is read afresh.
 * Shared results must be treated as read-only.
 */
export function sharingParses<T>(fn: () => T): T {
  const outer = running;
  running = ++evaluations;
  try {
    return fn();
  } finally {
    running = outer;
  }
}

/**
 * `parse`, with its result for the latest input object (a spec) shared within one
 * {@link sharingParses} evaluation: `evaluate` runs one spec's rules one after another, so the
 * rules of a spec share one parse. For parsers that only container rules call.
 */
function sharedPerSpec<A extends object, R>(parse: (input: A) => R): (input: A) => R {
  let cacheFor = 0;
  let last: A | undefined;
  let lastResult: R | undefined;
  return (input) => {
    if (running === 0) return parse(input);
    if (cacheFor === running && input === last) return lastResult as R;
    const r = parse(input);
    cacheFor = running;
    last = input;
    lastResult = r;
    return r;
  };
}

/**
 * `parse`, with its result per input object (a spec, a list) shared within one
 * {@link sharingParses} evaluation: for parsers that stack rules call again after every spec's
 * rules ran ({@link attachments}). Inputs that are not objects are parsed on every call.
 */
function shared<A, R>(parse: (input: A) => R): (input: A) => R {
  let cache = new Map<A, R>();
  let cacheFor = 0;
  // The latest input and result: evaluate runs a spec's rules one after another, so most calls
  // ask for the same input as the call before.
  let last: A | undefined;
  let lastResult: R | undefined;
  return (input) => {
    if (running === 0 || typeof input !== 'object' || input === null) return parse(input);
    if (cacheFor !== running) {
      cache = new Map();
      cacheFor = running;
      last = undefined;
    } else if (input === last) {
      return lastResult as R;
    }
    let r = cache.get(input);
    if (r === undefined) {
      r = parse(input);
      cache.set(input, r);
    }
    last = input;
    lastResult = r;
    return r;
  };
}

/** Parsed `securityOpt` entries: known ones, and the indexes of unknown ones. */
export type SecurityOpts = { opts: SecurityOpt[]; unknownAt: number[] } | 'unknown';

/** Parses `security_opt` entries, accepting both `key=value` and the legacy `key:value` forms. */
export const securityOpts: (spec: ContainerSpec) => SecurityOpts = sharedPerSpec(parseSecurityOpts);

function parseSecurityOpts(spec: ContainerSpec): SecurityOpts {
  const list = items<MaybeSecret>(spec.securityOpt);
  if (list === 'unknown') return 'unknown';
  const opts: SecurityOpt[] = [];
  const unknownAt: number[] = [];
  for (const it of list) {
    if (!it.known || (typeof it.value !== 'string' && !isSecret(it.value))) {
      unknownAt.push(it.index);
      continue;
    }
    const raw = reveal(it.value).trim();
    const m = /^([A-Za-z-]+)\s*[=:]\s*([\s\S]*)$/.exec(raw);
    opts.push(
      m
        ? { index: it.index, key: m[1]!.toLowerCase(), value: m[2]! }
        : { index: it.index, key: raw.toLowerCase(), value: '' },
    );
  }
  return { opts, unknownAt };
}

/**
 * Checks that a boolean-ish setting is not switched on (privileged, publish-all…): absent and
 * false pass, unknown is unknown.
 */
export function mustNotBeTrue(v: Val<boolean> | undefined, path: string, message: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v === true ? fail(path, message) : pass();
}

/** Checks a namespace mode (`pidMode`, `ipcMode`…) is not `host`. */
export function notHostMode(v: Val<string> | undefined, path: string, what: string): Outcome {
  if (v === undefined) return pass();
  if (isUnknown(v)) return unknown(path);
  return v.trim().toLowerCase() === 'host' ? fail(path, `shares the host's ${what} namespace`) : pass();
}

/** Upper-cased capability name without the `CAP_` prefix. */
export function capName(c: string): string {
  const up = c.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** Returns `pass()` when `outcomes` is empty, else the outcomes. */
export function collect(outcomes: readonly Outcome[]): Outcome | readonly Outcome[] {
  return outcomes.length === 0 ? pass() : outcomes;
}

/** True when the resource's source type can set this spec field at all. */
export function canExpress(spec: ContainerSpec, field: keyof ContainerSpec): boolean {
  return !spec.source.cannotExpress?.has(field);
}

/** How messages name a resource type that lacks a setting: `a swarm service` or `this resource type`. */
export function resourceKind(spec: ContainerSpec): string {
  return /service/i.test(spec.source.type) ? 'a swarm service' : 'this resource type';
}

/**
 * The failure to report when a control needs a field the resource type cannot express at all, or
 * `undefined` when it can. Use it only where the missing setting is a risk; where absence is the
 * safe state, the ordinary absent-value logic already passes.
 */
export function expressGap(
  spec: ContainerSpec,
  field: keyof ContainerSpec,
  what: string,
): Outcome | undefined {
  if (canExpress(spec, field)) return undefined;
  return fail(
    field,
    `${resourceKind(spec)} cannot set ${what}; run it as a container or accept the gap with an exemption`,
  );
}

/** A known map entry, or the key of an unknown one. */
export type Entry<T> = { key: string; value: T; known: true } | { key: string; known: false };

/**
 * Entries of a possibly-unknown map (`sysctls`, `logOpts`, `tmpfs`, network `options`). Returns
 * `'unknown'` when the map itself is unknown and an empty array when it is absent.
 */
export function entries<T>(map: Val<Record<string, Val<T>>> | undefined): Entry<T>[] | 'unknown' {
  if (map === undefined) return [];
  if (isUnknown(map) || typeof map !== 'object' || map === null || Array.isArray(map)) return 'unknown';
  return Object.entries(map).map(([key, v]) =>
    isUnknown(v) || v === undefined ? { key, known: false } : { key, value: v as T, known: true },
  );
}

/** The value of one map key: absent, unknown or known. */
export function entry<T>(
  map: Val<Record<string, Val<T>>> | undefined,
  key: string,
): { state: 'absent' } | { state: 'unknown' } | { state: 'known'; value: T } {
  const all = entries(map);
  if (all === 'unknown') return { state: 'unknown' };
  const hit = all.find((e) => e.key === key);
  if (!hit) return { state: 'absent' };
  return hit.known ? { state: 'known', value: hit.value } : { state: 'unknown' };
}

/**
 * Normalizes a host path for comparison: backslashes stay, duplicate and trailing slashes go, `.`
 * and `..` segments are resolved (`/var//run/../run/docker.sock` → `/var/run/docker.sock`).
 */
export function normalizeHostPath(p: string): string {
  const trimmed = p.trim();
  if (!trimmed.startsWith('/')) return trimmed;
  const out: string[] = [];
  for (const seg of trimmed.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** A parsed `user` setting (`uid[:gid]`, `name[:group]`). */
export type ParsedUser =
  | { state: 'absent' }
  | { state: 'unknown' }
  | {
      state: 'known';
      /** The part before `:`. */
      user: string;
      /** The part after `:`, if any. */
      group?: string;
      /** The numeric uid, when the user part is a number. */
      uid?: number;
      /** The numeric gid, when the group part is a number. */
      gid?: number;
      /** True for uid 0 or the name `root`. */
      root: boolean;
    };

/** Parses a container `user`; an empty string counts as absent (the image default applies). */
export function parseUser(v: Val<string> | undefined): ParsedUser {
  if (v === undefined) return { state: 'absent' };
  if (isUnknown(v) || typeof v !== 'string') return { state: 'unknown' };
  const raw = v.trim();
  if (raw === '') return { state: 'absent' };
  const cut = raw.indexOf(':');
  const user = (cut < 0 ? raw : raw.slice(0, cut)).trim();
  const group = cut < 0 ? undefined : raw.slice(cut + 1).trim();
  const out: ParsedUser = { state: 'known', user, root: false };
  if (/^\d+$/.test(user)) out.uid = Number(user);
  if (group !== undefined) {
    out.group = group;
    if (/^\d+$/.test(group)) out.gid = Number(group);
  }
  out.root = out.uid === 0 || user.toLowerCase() === 'root';
  return out;
}

/** Every Linux capability name (without `CAP_`), as of Linux 6.x, plus Docker's `ALL`. */
export const LINUX_CAPABILITIES: ReadonlySet<string> = new Set(
  (
    'ALL CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE ' +
    'NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT ' +
    'SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE ' +
    'AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ ' +
    'PERFMON BPF CHECKPOINT_RESTORE'
  ).split(' '),
);

/**
 * Capabilities that amount to host root or a kernel attack surface when added: each is a known
 * container-escape or host-tampering primitive.
 */
export const CRITICAL_CAPABILITIES: ReadonlySet<string> = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'LINUX_IMMUTABLE',
]);

/** A capability list entry, normalized with {@link capName}. */
export interface Cap {
  index: number;
  name: string;
}

/** Normalized entries of `capAdd`/`capDrop`, with the indexes of unknown entries. */
export type ParsedCaps = { caps: Cap[]; unknownAt: number[] } | 'unknown';

/** The container's `capAdd` entries, parsed once per spec within an evaluation. */
export const capAdds: (spec: ContainerSpec) => ParsedCaps = sharedPerSpec((spec) => parseCaps(spec.capAdd));
/** The container's `capDrop` entries, parsed once per spec within an evaluation. */
export const capDrops: (spec: ContainerSpec) => ParsedCaps = sharedPerSpec((spec) => parseCaps(spec.capDrop));

function parseCaps(list: Val<Val<string>[]> | undefined): ParsedCaps {
  const all = items<string>(list);
  if (all === 'unknown') return 'unknown';
  const out: Cap[] = [];
  const unknownAt: number[] = [];
  for (const it of all) {
    if (!it.known || typeof it.value !== 'string') unknownAt.push(it.index);
    else out.push({ index: it.index, name: capName(it.value) });
  }
  return { caps: out, unknownAt };
}

/** How a message names a capability: its name when it is a real capability, else generically. */
export function describeCap(name: string): string {
  return LINUX_CAPABILITIES.has(name) ? `capability ${name}` : 'an unrecognized capability';
}

/**
 * Reports every `securityOpt` entry `isBad` matches (one failure each, with `message`). Unknown
 * entries are unknown; a missing list or a resource type without security options passes (the
 * engine's default profiles apply).
 */
export function forbidSecurityOpt(
  spec: ContainerSpec,
  isBad: (opt: SecurityOpt) => string | false,
): Outcome | readonly Outcome[] {
  if (!canExpress(spec, 'securityOpt')) return pass();
  const parsed = securityOpts(spec);
  if (parsed === 'unknown') return unknown('securityOpt');
  const out: Outcome[] = [];
  for (const opt of parsed.opts) {
    const message = isBad(opt);
    if (message) out.push(fail(`securityOpt[${opt.index}]`, message));
  }
  for (const i of parsed.unknownAt) out.push(unknown(`securityOpt[${i}]`));
  return collect(out);
}

/**
 * Whether a ulimit (`nofile`, `nproc`) is set to a positive bound: `set` (with its index), `missing`,
 * `unbounded` (set to 0 or -1) or `unknown` (the list, or an entry that could be it, is not known).
 */
export function ulimit(
  spec: ContainerSpec,
  name: string,
): { state: 'set' | 'unbounded'; index: number } | { state: 'missing' | 'unknown' } {
  const list = spec.ulimits;
  if (list === undefined) return { state: 'missing' };
  if (!Array.isArray(list)) return { state: 'unknown' };
  // The last entry of that name decides; with none, an entry whose name is not known makes it unknown.
  let state: 'set' | 'unbounded' | 'missing' | 'unknown' = 'missing';
  let at = -1;
  for (let index = 0; index < list.length; index++) {
    const l = list[index];
    const n = typeof l === 'object' && l !== null ? l.name : undefined;
    if (typeof n !== 'string') {
      if (state === 'missing') state = 'unknown';
      continue;
    }
    if (n.trim().toLowerCase() !== name) continue;
    if (typeof l!.soft !== 'number' || typeof l!.hard !== 'number') {
      state = 'unknown';
      continue;
    }
    state = l!.soft > 0 && l!.hard > 0 ? 'set' : 'unbounded';
    at = index;
  }
  return state === 'set' || state === 'unbounded' ? { state, index: at } : { state };
}

/** A host path a mount exposes: known, unknown, or not a host path (named volume, tmpfs). */
export type HostSource =
  | { index: number; state: 'host'; path: string; readOnly: boolean | 'unknown' }
  | { index: number; state: 'unknown'; reason?: string };

/**
 * The host paths of bind mounts (and named pipes) in `mounts`. A mount counts as a bind when its
 * type says so or, with the type unknown, when its source is an absolute path (a volume name cannot
 * contain `/`). Returns `'unknown'` when the list itself is unknown.
 */
export const hostSources: (spec: ContainerSpec) => HostSource[] | 'unknown' = sharedPerSpec(parseHostSources);

function parseHostSources(spec: ContainerSpec): HostSource[] | 'unknown' {
  const list = spec.mounts;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return 'unknown';
  const out: HostSource[] = [];
  list.forEach((m, index) => {
    if (typeof m !== 'object' || m === null) {
      out.push({ index, state: 'unknown' });
      return;
    }
    const type = typeof m.type === 'string' ? m.type.toLowerCase() : undefined;
    if (type !== undefined && type !== 'bind' && type !== 'npipe') return;
    if (typeof m.source !== 'string') {
      // An unknown type with an unknown source could still be a bind mount.
      if (m.source !== undefined || type === undefined) {
        out.push(
          typeof m.unknownReason === 'string'
            ? { index, state: 'unknown', reason: m.unknownReason }
            : { index, state: 'unknown' },
        );
      }
      return;
    }
    if (type === undefined && !m.source.trim().startsWith('/')) return;
    const ro = m.readOnly === undefined ? false : typeof m.readOnly === 'boolean' ? m.readOnly : 'unknown';
    out.push({ index, state: 'host', path: normalizeHostPath(m.source), readOnly: ro });
  });
  return out;
}

/** A mount that exposes a known host path. */
export type KnownHostSource = Extract<HostSource, { state: 'host' }>;

/**
 * Judges every host path a container mounts: an unknown mount list or entry is unknown, and
 * `judge` gives the outcome for each known host path (`undefined` when it passes).
 */
export function judgeHostSources(
  spec: ContainerSpec,
  judge: (s: KnownHostSource) => Outcome | undefined,
): Outcome | readonly Outcome[] {
  const sources = hostSources(spec);
  if (sources === 'unknown') return unknown('mounts');
  const out: Outcome[] = [];
  for (const s of sources) {
    const o =
      s.state === 'unknown'
        ? s.reason === undefined
          ? unknown(`mounts[${s.index}]`)
          : unknown(`mounts[${s.index}]`, s.reason)
        : judge(s);
    if (o) out.push(o);
  }
  return collect(out);
}

/** Published ports as a list; `'unknown'` when the list is unknown, `[]` when absent. */
export function ports(
  spec: ContainerSpec,
): ({ index: number } & (PortSpec | { unknown: true }))[] | 'unknown' {
  const list = spec.ports;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return 'unknown';
  return list.map((p, index) =>
    typeof p === 'object' && p !== null && !isUnknown(p)
      ? { index, ...p }
      : { index, unknown: true as const },
  );
}

/**
 * Whether a container publishes anything: `yes` (ports or publish-all), `no`, or `unknown`.
 * `at` is the spec path that proves it.
 */
export function publishes(
  spec: ContainerSpec,
): { state: 'yes'; at: string } | { state: 'no' } | { state: 'unknown'; at: string } {
  const list = spec.ports;
  if (spec.publishAllPorts === true) return { state: 'yes', at: 'publishAllPorts' };
  if (Array.isArray(list) && list.length > 0) return { state: 'yes', at: 'ports' };
  if (list !== undefined && !Array.isArray(list)) return { state: 'unknown', at: 'ports' };
  if (spec.publishAllPorts !== undefined && typeof spec.publishAllPorts !== 'boolean') {
    return { state: 'unknown', at: 'publishAllPorts' };
  }
  return { state: 'no' };
}

/** Network names that are Docker's built-in networks, not user-defined ones. */
export const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'default', 'host', 'none', '']);

/** One user-defined network a container is attached to (`name` undefined when not known yet). */
export interface Attachment {
  name: string | undefined;
  /** Spec path of the attachment: `networks[1]` or `networkMode`. */
  path: string;
  aliases: readonly string[];
}

/**
 * The user-defined networks a container joins, from `networks` and a `networkMode` naming a
 * network. Built-in networks and `container:<id>`/`service:<name>` modes are left out. `'unknown'` when the list
 * (or the mode) is not known.
 */
export const attachments: (spec: ContainerSpec) => Attachment[] | 'unknown' = shared(parseAttachments);

function parseAttachments(spec: ContainerSpec): Attachment[] | 'unknown' {
  const out: Attachment[] = [];
  const mode = spec.networkMode;
  if (mode !== undefined && typeof mode !== 'string') return 'unknown';
  if (typeof mode === 'string') {
    const m = mode.trim();
    // `container:<id>` (and compose's `service:<name>`) share another container's network stack.
    const lower = m.toLowerCase();
    if (!BUILTIN_NETWORKS.has(lower) && !lower.startsWith('container:') && !lower.startsWith('service:')) {
      out.push({ name: m, path: 'networkMode', aliases: NO_ALIASES });
    }
  }
  const list = spec.networks;
  if (list === undefined) return out;
  if (!Array.isArray(list)) return 'unknown';
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    const name = typeof n === 'object' && n !== null ? n.name : undefined;
    if (typeof name !== 'string') {
      out.push({ name: undefined, path: `networks[${i}]`, aliases: NO_ALIASES });
      continue;
    }
    const trimmed = name.trim();
    if (BUILTIN_NETWORKS.has(trimmed.toLowerCase())) continue;
    out.push({ name: trimmed, path: `networks[${i}]`, aliases: knownStrings(n!.aliases) });
  }
  return out;
}

const NO_ALIASES: readonly string[] = Object.freeze([]);

/** The known entries of a string list, as strings (none when the list is absent or unknown). */
function knownStrings(list: Val<Val<string>[]> | undefined): readonly string[] {
  if (!Array.isArray(list) || list.length === 0) return NO_ALIASES;
  const out: string[] = [];
  for (const v of list) if (v !== undefined && !isUnknown(v)) out.push(String(v));
  return out;
}

/** A stack-rule outcome about one resource (nothing for a pass). */
export function about(resource: ContainerSpec | NetworkSpec, o: Outcome): StackOutcome[] {
  return o.status === 'pass' ? [] : [{ ...o, resource }];
}
