import {
  ADD_BACKS_LEFT_TO_USER,
  type ComposeLoadOptions,
  capName,
  evaluate,
  type Finding,
  fromCompose,
  noNewPrivilegesEntry,
  resourceIdentity,
} from '@bulkhead/core';
import { applyPatch, structuredPatch } from 'diff';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Pair,
  parseDocument,
  Scalar,
  type ToStringOptions,
  type YAMLMap,
  YAMLSeq,
} from 'yaml';
import { SECURE } from './secure-values.js';

/** What `bulkhead fix` did, or did not do, about the findings of one rule on one service. */
export interface FixNote {
  rule: string;
  service: string;
  /** The field path of the (first) finding. */
  path: string;
  /** Why it was left alone (absent when fixed). */
  why?: string;
  /** True when the finding needs a human decision: an exemption template is offered for it. */
  decision?: boolean;
}

/** The result of planning fixes for one compose file. */
export interface ComposeFixPlan {
  /** The fixed text (the original when nothing changed). */
  text: string;
  fixed: FixNote[];
  notFixed: FixNote[];
}

/** Options of {@link planComposeFix}. */
export interface ComposeFixOptions {
  /** How the file is loaded (environment, env files, included files), as `validate` does. */
  compose?: ComposeLoadOptions;
  /** Set a numeric non-root `user` on services running as root or by name (the images must allow any uid). */
  setUser?: boolean;
}

/** A fix edits one service's mapping; it returns why it cannot, or undefined once done. */
type Fixer = (svc: YAMLMap, ctx: { setUser: boolean }) => string | undefined;

/** Findings that need someone to decide, with what to decide. An exemption template is offered. */
export const DECISIONS: Record<string, string> = {
  'no-privileged': 'privileged mode is a choice: remove it by hand once the service runs without it',
  'no-critical-capabilities': 'the service asks for the capability: remove it once it runs without it',
  'capability-allowlist': 'the service asks for the capability: remove it once it runs without it',
  'no-docker-socket': 'a Docker socket mount gives the service the host: remove it or accept the risk',
  'no-sensitive-mounts': 'the service mounts a host directory it may need: replace it by hand',
  'no-shared-propagation': 'mount propagation is a choice of the service',
  'bind-mounts-read-only': 'whether the service writes to the bind mount is not known here',
  'no-host-network': 'host networking is a choice: move the service to a network by hand',
  'no-host-pid': 'the host PID namespace is a choice of the service',
  'no-host-ipc': 'the host IPC namespace is a choice of the service',
  'no-host-uts': 'the host UTS namespace is a choice of the service',
  'no-host-userns': 'the host user namespace is a choice of the service',
  'no-host-devices': 'the service asks for host devices',
  'seccomp-not-unconfined': 'which seccomp profile the service needs is not known here',
  'apparmor-not-unconfined': 'which AppArmor profile the service needs is not known here',
  'selinux-not-disabled': 'which SELinux label the service needs is not known here',
  'no-unmasked-paths': 'the service asks for unmasked system paths',
  'no-cgroup-parent': 'the cgroup parent is a choice of the host',
  'no-privileged-ports': 'changing the host port changes how clients reach the service',
  'ports-only-on-ingress': 'which service is the ingress is a choice: label it or remove the ports',
  'isolated-network': 'which network the service joins is a choice',
  'no-secrets-in-env': 'moving a secret to `secrets:` needs the secret file and the application to read it',
  'safe-sysctls': 'the service asks for the sysctl',
  'runtime-allowlist': 'the runtime is a choice of the host',
  'no-privileged-groups': 'the service asks for the group',
  'bounded-restarts':
    'the service restarts without bound on purpose (`always`/`unless-stopped` also bring it back after a reboot, `on-failure:N` does not): change it by hand',
  healthcheck: 'a health check needs a command that tests this service',
  'image-digest-pinned': 'the digest must come from the registry (`docker buildx imagetools inspect IMAGE`)',
  'seccomp-profile-valid': 'the profile must be written by hand or learned (`bulkhead seccomp learn`)',
  'seccomp-within-learned-profile': 'the profile must be written by hand or learned again',
  'exemption-labels-valid': 'an exemption label needs a valid reason and date',
  'no-host-cgroupns':
    '`cgroup: private` needs Docker Compose v2.15 or later (docker-compose v1 refuses the key); set it by hand',
  'network-internal': 'an internal network cuts the services off the outside: decide per network',
  'network-icc-disabled': 'disabling inter-container traffic on a network is a choice per network',
  'shared-network-needs-link': 'which services talk to each other is a choice',
  'backend-on-internal-network': 'which networks are internal is a choice',
};

const str = (v: unknown) => (isScalar(v) ? String(v.value) : undefined);

/** A scalar written in double quotes when it is a string (PyYAML, behind docker-compose v1, reads `[a:b]` as a mapping). */
function quoted(v: string | number): Scalar {
  const s = new Scalar(v);
  if (typeof v === 'string') s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** A flow sequence of scalars (`[ALL]`), for the short lists a fix adds. */
function flowSeq(values: readonly (string | number)[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  for (const v of values) seq.add(quoted(v));
  return seq;
}

/** A block mapping built from plain data (for `logging` and `ulimits`). */
function block(doc: Document, value: Record<string, unknown>, flow = false) {
  const node = doc.createNode(value);
  if (isMap(node)) node.flow = flow;
  return node;
}

/** The seq at `key`, when the service's own mapping holds one (not a merged anchor, not a scalar). */
function ownSeq(svc: YAMLMap, key: string): YAMLSeq | 'absent' | 'other' {
  if (!svc.has(key)) return 'absent';
  const node = svc.get(key, true);
  return isSeq(node) ? node : 'other';
}

/** Adds `value` to the list at `key` (creating it as a flow list); returns why it could not. */
function addToList(svc: YAMLMap, key: string, value: string): string | undefined {
  const seq = ownSeq(svc, key);
  if (seq === 'absent') {
    svc.set(key, flowSeq([value]));
    return undefined;
  }
  if (seq === 'other') return `\`${key}\` is not a plain list here; add ${value} by hand`;
  if (seq.items.some((i) => str(i) === value)) return undefined;
  seq.add(quoted(value));
  return undefined;
}

/** Sets `key` when the service does not set it; refuses to overwrite a value someone chose. */
function setIfAbsent(svc: YAMLMap, key: string, value: unknown, doc: Document): string | undefined {
  if (svc.has(key)) return `\`${key}\` is set to another value, which is a choice: change it by hand`;
  svc.set(key, isScalar(value) || isMap(value) || isSeq(value) ? value : doc.createNode(value));
  return undefined;
}

const TMPFS_FLAGS = ['noexec', 'nosuid', 'nodev'];

/** `/path` or `/path:opts` with size and the flags core requires added where missing. */
function hardenTmpfs(entry: string): string {
  const at = entry.indexOf(':');
  const target = at < 0 ? entry : entry.slice(0, at);
  return `${target}:${hardenTmpfsOptions(at < 0 ? '' : entry.slice(at + 1))}`;
}

/** tmpfs mount options (`size=8m,exec`) with size and the flags core requires added where missing. */
export function hardenTmpfsOptions(options: string): string {
  const opts = options.split(',').filter(Boolean);
  const want = SECURE.tmpfsOptions.split(',');
  const have = new Set(opts.map((o) => o.split('=')[0]));
  for (const o of want) if (!have.has(o.split('=')[0])) opts.push(o);
  // The later of a pair wins in mount(8): drop an `exec`, `suid` or `dev` that would undo a flag.
  return opts.filter((o) => !TMPFS_FLAGS.some((f) => o === f.slice(2))).join(',');
}

/** Short-syntax port without a host address → bound to the secure address; else undefined. */
function bindPort(port: string): string | undefined {
  // [ip:][host:]container[/proto]; an address present (IPv4, [IPv6], or a variable) is a choice.
  const parts = port.split(':');
  if (parts.length >= 3 || port.includes('[') || port.includes('$')) return undefined;
  return parts.length === 1 ? `${SECURE.portIp}::${port}` : `${SECURE.portIp}:${port}`;
}

/** Rules `bulkhead fix` clears with an edit that needs no decision (tests verify each one on the engine). */
export const FIXABLE_RULES = [
  'drop-all-capabilities',
  'no-net-raw',
  'no-new-privileges',
  'read-only-rootfs',
  'tmpfs-hardened',
  'memory-limit',
  'cpu-limit',
  'pids-limit',
  'ulimits-set',
  'ports-bound-to-interface',
  'bounded-logs',
  'init-process',
  'non-root-user',
  'numeric-user',
] as const;

function fixers(doc: Document): Record<(typeof FIXABLE_RULES)[number], Fixer> {
  const capDropAll: Fixer = (svc) => {
    const adds = ownSeq(svc, 'cap_add');
    if (
      adds !== 'absent' &&
      adds !== 'other' &&
      adds.items.some((i) => ADD_BACKS_LEFT_TO_USER.has(capName(str(i) ?? '')))
    )
      return 'the service adds NET_RAW (or ALL) back under `cap_add`: remove it once it runs without it';
    return addToList(svc, 'cap_drop', SECURE.capDropAll);
  };
  return {
    'drop-all-capabilities': capDropAll,
    'no-net-raw': capDropAll,
    'no-new-privileges': (svc) => {
      const opts = ownSeq(svc, 'security_opt');
      if (
        opts !== 'absent' &&
        opts !== 'other' &&
        opts.items.some((i) => noNewPrivilegesEntry(str(i) ?? '') === 'off')
      )
        return '`no-new-privileges:false` is set explicitly, which is a choice: change it by hand';
      return addToList(svc, 'security_opt', SECURE.noNewPrivileges);
    },
    'read-only-rootfs': (svc) => {
      const why = setIfAbsent(svc, 'read_only', true, doc);
      if (why) return why;
      // The root is read-only now; /tmp stays writable (and hardened) as a tmpfs.
      const tmpfs = ownSeq(svc, 'tmpfs');
      if (tmpfs === 'absent') svc.set('tmpfs', flowSeq([hardenTmpfs('/tmp')]));
      else if (tmpfs !== 'other' && !tmpfs.items.some((i) => (str(i) ?? '').split(':')[0] === '/tmp'))
        tmpfs.add(quoted(hardenTmpfs('/tmp')));
      return undefined;
    },
    'tmpfs-hardened': (svc) => {
      const node = svc.get('tmpfs', true);
      const items = isSeq(node) ? node.items : isScalar(node) ? [node] : [];
      if (items.length === 0) return '`tmpfs` is not a plain list here: harden it by hand';
      for (const item of items) {
        if (!isScalar(item) || typeof item.value !== 'string' || item.value.includes('$'))
          return 'a `tmpfs` entry is not a plain path: harden it by hand';
        item.value = hardenTmpfs(item.value);
        if (item.type === Scalar.PLAIN && isSeq(node) && node.flow) item.type = Scalar.QUOTE_DOUBLE;
      }
      return undefined;
    },
    'memory-limit': (svc) => {
      if (svc.hasIn(['deploy', 'resources', 'limits', 'memory']))
        return '`deploy.resources.limits.memory` is set: change it by hand';
      return (
        setIfAbsent(svc, 'mem_limit', SECURE.memory, doc) ??
        setIfAbsent(svc, 'memswap_limit', SECURE.memory, doc)
      );
    },
    'cpu-limit': (svc) => {
      if (svc.hasIn(['deploy', 'resources', 'limits', 'cpus']))
        return '`deploy.resources.limits.cpus` is set: change it by hand';
      return setIfAbsent(svc, 'cpus', SECURE.cpus, doc);
    },
    'pids-limit': (svc) => {
      if (svc.hasIn(['deploy', 'resources', 'limits', 'pids']))
        return '`deploy.resources.limits.pids` is set: change it by hand';
      return setIfAbsent(svc, 'pids_limit', SECURE.pids, doc);
    },
    'ulimits-set': (svc) => {
      if (!svc.has('ulimits')) {
        svc.set('ulimits', block(doc, { nofile: SECURE.nofile, nproc: SECURE.nproc }, true));
        return undefined;
      }
      const node = svc.get('ulimits', true);
      if (!isMap(node)) return '`ulimits` is not a plain mapping here: set it by hand';
      if (!node.has('nofile')) node.set('nofile', SECURE.nofile);
      if (!node.has('nproc')) node.set('nproc', SECURE.nproc);
      return undefined;
    },
    'ports-bound-to-interface': (svc) => {
      const ports = ownSeq(svc, 'ports');
      if (ports === 'absent' || ports === 'other') return '`ports` is not a plain list here: bind it by hand';
      let refused: string | undefined;
      ports.items.forEach((item, i) => {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
          const bound = bindPort(String(item.value));
          if (bound) {
            const s = new Scalar(bound);
            s.type = Scalar.QUOTE_DOUBLE;
            if (item.comment) s.comment = item.comment;
            ports.items[i] = s;
          } else {
            const value = String(item.value);
            const ip =
              value.split(':').length >= 3
                ? value.slice(0, value.lastIndexOf(':', value.lastIndexOf(':') - 1))
                : '';
            if (!ip || /^(0\.0\.0\.0|\[?::\]?|\[\])$/.test(ip) || value.includes('$'))
              refused = `ports[${i}] is bound to every interface on purpose, or is not a plain short-syntax port: bind it by hand`;
          }
        } else if (isMap(item) && !item.has('host_ip')) {
          refused = `ports[${i}] is in long syntax, whose \`host_ip\` docker-compose v1 refuses: bind it by hand`;
        }
      });
      return refused;
    },
    'bounded-logs': (svc) => {
      if (!svc.has('logging')) {
        svc.set(
          'logging',
          block(doc, {
            driver: SECURE.logDriver,
            options: { 'max-size': SECURE.logMaxSize, 'max-file': SECURE.logMaxFile },
          }),
        );
        return undefined;
      }
      const logging = svc.get('logging', true);
      if (!isMap(logging)) return '`logging` is not a plain mapping here: set it by hand';
      const driver = str(logging.get('driver', true)) ?? 'json-file';
      if (driver !== 'json-file') return `the \`${driver}\` log driver is a choice: bound it by hand`;
      const options = logging.get('options', true);
      if (options === undefined) {
        logging.set('options', block(doc, { 'max-size': SECURE.logMaxSize, 'max-file': SECURE.logMaxFile }));
        return undefined;
      }
      if (!isMap(options)) return '`logging.options` is not a plain mapping here: set it by hand';
      if (!options.has('max-size')) options.set('max-size', SECURE.logMaxSize);
      if (!options.has('max-file')) options.set('max-file', SECURE.logMaxFile);
      return undefined;
    },
    'init-process': (svc) => setIfAbsent(svc, 'init', true, doc),
    'non-root-user': (svc, ctx) => setUser(svc, ctx),
    'numeric-user': (svc, ctx) => setUser(svc, ctx),
  };
}

function setUser(svc: YAMLMap, ctx: { setUser: boolean }): string | undefined {
  if (!ctx.setUser)
    return `whether the image runs as uid ${SECURE.user} is not known here: rerun with --set-user if it does`;
  const user = new Scalar(SECURE.user);
  user.type = Scalar.QUOTE_DOUBLE;
  if (!svc.has('user')) {
    svc.set('user', user);
    return undefined;
  }
  const node = svc.get('user', true);
  if (!isScalar(node) || String(node.value).includes('$'))
    return '`user` is not a plain value here: set it by hand';
  // Edit the scalar in place: its comments stay with it.
  node.value = SECURE.user;
  node.type = Scalar.QUOTE_DOUBLE;
  return undefined;
}

/** The service mappings of a document by name (only mappings written in place; not aliases). */
function serviceMaps(doc: Document): Map<string, YAMLMap | string> {
  const out = new Map<string, YAMLMap | string>();
  const services = doc.get('services', true);
  if (!isMap(services)) return out;
  for (const pair of services.items as Pair[]) {
    const name = str(pair.key);
    if (name === undefined) continue;
    if (isMap(pair.value)) out.set(name, pair.value);
    else out.set(name, 'the service is written as an alias or a non-mapping: fix it where it is defined');
  }
  return out;
}

/** Formatting close to the file's, so that re-serializing changes as few lines as possible. */
function toStringOptions(text: string): ToStringOptions {
  const indent = /^services:[ \t]*\r?\n( +)\S/m.exec(text)?.[1]?.length ?? 2;
  // `key:` followed by `- item` at the same indentation: the file does not indent its lists.
  const list = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n( *)- /m.exec(text);
  return {
    indent,
    lineWidth: 0,
    flowCollectionPadding: /\[ \S/.test(text),
    indentSeq: !(list && list[1]?.length === list[2]?.length),
  };
}

/**
 * Applies the edits of `edited` (a re-serialization of the changed document) to the original text:
 * the difference between the unchanged and the changed serialization is a patch, applied to the
 * original bytes, so formatting, quoting and blank lines elsewhere stay exactly as written (an
 * edited line itself is written as the serializer writes it).
 * Undefined when the patch does not apply.
 */
function applyEdits(original: string, unchanged: string, edited: string): string | undefined {
  for (const context of [3, 1]) {
    const patch = structuredPatch('a', 'b', unchanged, edited, '', '', { context });
    // Lines match when they differ only in spacing (the serializer writes one space before a comment).
    const out = applyPatch(original, patch, {
      compareLine: (_n, line, _op, content) => line.replace(/\s+/g, '') === content.replace(/\s+/g, ''),
    });
    if (typeof out === 'string') return out;
  }
  return undefined;
}

const failKey = (f: Finding) => `${f.ruleId}\u0000${resourceIdentity(f.resource)}\u0000${f.path}`;

/**
 * Plans the fixes of one compose file: evaluates it, edits the YAML document service by service
 * for the findings with a mechanical fix, and checks the result by evaluating it again: the fixed
 * findings are gone and none is new, or nothing is offered. Never throws for a finding it cannot
 * fix: it says why in `notFixed`. Throws core's `InputError` when the file cannot be read.
 */
export function planComposeFix(text: string, file: string, options: ComposeFixOptions = {}): ComposeFixPlan {
  const findings = evaluate(fromCompose(text, file, options.compose ?? {})).findings.filter(
    (f) => f.status === 'fail',
  );
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message.split('\n')[0]}`);
  const opts = toStringOptions(text);
  const unchanged = doc.toString(opts);
  const services = serviceMaps(doc);
  const edits = fixers(doc);
  const fixed: FixNote[] = [];
  const notFixed: FixNote[] = [];
  const done = new Set<string>();
  for (const f of findings) {
    const service = f.resource.name;
    const key = `${service}\u0000${f.ruleId}`;
    if (done.has(key)) continue;
    done.add(key);
    const note: FixNote = { rule: f.ruleId, service, path: f.path };
    const svc = f.resource.scope === 'container' ? services.get(service) : undefined;
    const decision = DECISIONS[f.ruleId];
    const fix = (edits as Record<string, Fixer | undefined>)[f.ruleId];
    if (decision !== undefined || !fix) {
      notFixed.push({ ...note, why: decision ?? 'no mechanical fix', decision: true });
      continue;
    }
    if (svc === undefined || typeof svc === 'string') {
      notFixed.push({
        ...note,
        why: typeof svc === 'string' ? svc : 'the service is not in this file',
        decision: false,
      });
      continue;
    }
    const why = fix(svc, { setUser: options.setUser === true });
    if (why === undefined) fixed.push(note);
    else notFixed.push({ ...note, why, decision: !why.includes('not a plain') });
  }
  if (fixed.length === 0) return { text, fixed, notFixed };
  const out = applyEdits(text, unchanged, doc.toString(opts));
  if (out === undefined) {
    return {
      text,
      fixed: [],
      notFixed: [
        ...notFixed,
        ...fixed.map((n) => ({
          ...n,
          why: 'the edit could not be placed without reformatting the file',
          decision: false,
        })),
      ],
    };
  }
  verifyFixed(findings, evaluate(fromCompose(out, file, options.compose ?? {})).findings, file, fixed);
  return { text: out, fixed, notFixed };
}

/** Thrown when a planned fix does not verify (a bug: nothing is written). */
export class FixNotVerified extends Error {}

/**
 * Checks a fix against the findings after it (`after`: every finding, whatever its status): each
 * fixed rule must now pass on its service (a finding left failing, unknown or in error is not
 * fixed), and no failure or error may be new against `before` (the failing findings it planned
 * from).
 */
export function verifyFixed(
  before: readonly Finding[],
  after: readonly Finding[],
  file: string,
  fixed: readonly FixNote[],
): void {
  const old = new Set(before.map(failKey));
  const added = after.filter((f) => (f.status === 'fail' || f.status === 'error') && !old.has(failKey(f)));
  const cleared = new Set(fixed.map((n) => `${n.service}\u0000${n.rule}`));
  const left = after.filter((f) => cleared.has(`${f.resource.name}\u0000${f.ruleId}`));
  if (added.length > 0 || left.length > 0) {
    const what = [
      ...added.map((f) => `new ${f.ruleId} on ${f.resource.name}`),
      ...left.map(
        (f) => `${f.ruleId} is still ${f.status === 'fail' ? 'failing' : f.status} on ${f.resource.name}`,
      ),
    ];
    throw new FixNotVerified(`the fix of ${file} did not verify (${what.join('; ')}); nothing was written`);
  }
}

/** An exemptions file (YAML) for the findings left for a decision; reasons must be written before it is accepted. */
export function exemptionTemplate(notFixed: readonly FixNote[], alternative?: string): string | undefined {
  const seen = new Set<string>();
  const entries = notFixed
    .filter((n) => n.decision)
    .filter((n) => {
      const k = `${n.rule}\u0000${n.service}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((n) => ({ rule: n.rule, resource: n.service, reason: 'TODO: why this risk is accepted' }));
  if (entries.length === 0) return undefined;
  const doc = new Document({ exemptions: entries });
  doc.commentBefore =
    ' Exemptions for the findings `bulkhead fix` left for a decision. Replace each TODO with the reason\n' +
    ' the risk is accepted (a placeholder is refused), or fix the finding by hand and delete its entry.\n' +
    ' Use it with: bulkhead validate --exemptions FILE' +
    (alternative ? `\n ${alternative}` : '');
  return doc.toString({ lineWidth: 0 });
}
