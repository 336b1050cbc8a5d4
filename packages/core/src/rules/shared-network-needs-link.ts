import type { ContainerSpec } from '../model/spec.js';
import { items } from './support/lists.js';
import { type Attachment, attachments } from './support/network.js';
import { about } from './support/outcomes.js';
import { fail, type StackOutcome, type StackRule, unknown } from './types.js';

/** How many unlinked peers a finding names; the rest are counted. */
export const PEERS_NAMED = 5;

/**
 * The targets a container's declared links point at, or `unknown: true` when some are not known
 * yet. A target is a resource name or network alias (`name` or `name:port`), or the URN of a
 * resource the container depends on (Pulumi `dependsOn` or an input taken from its outputs).
 */
function linkTargets(c: ContainerSpec): { names: string[]; unknown: boolean } {
  const list = items<string>(c.links);
  if (list === 'unknown') return { names: [], unknown: true };
  // A list, not a set: a container declares a link or two.
  const names: string[] = [];
  let unknownSeen = false;
  for (const l of list) {
    if (!l.known) unknownSeen = true;
    else {
      const t = String(l.value).trim();
      // `name` or `name:port`; a URN's last segment is a name, never a port.
      names.push(t.startsWith('urn:') ? t : t.replace(/:\d+$/, ''));
    }
  }
  return { names, unknown: unknownSeen };
}

/** One container on one network. */
interface Member {
  c: ContainerSpec;
  a: Attachment;
  targets: string[];
  /** Some of its declared links are not known yet. */
  unknownLinks: boolean;
  /** The members it has a declared link with, either way (filled per network). */
  linked: Set<Member> | undefined;
}

/** The names a member answers to on its network: resource name, URN, aliases there. */
function keysOf(m: Member): string[] {
  const keys = [m.c.source.name, ...m.a.aliases];
  if (m.c.source.urn !== undefined) keys.push(m.c.source.urn);
  return keys;
}

function addLink(from: Member, to: Member): void {
  if (from.linked === undefined) from.linked = new Set([to]);
  else from.linked.add(to);
}

function link(x: Member, y: Member): void {
  addLink(x, y);
  addLink(y, x);
}

/** `"a", "b", "c" and 4 more`. */
function peerList(names: readonly string[], total: number): string {
  const shown = names.map((n) => `"${n}"`).join(', ');
  return total > names.length ? `${shown} and ${total - names.length} more` : shown;
}

/**
 * The outcomes for the members of one network: one per member that shares it with a container
 * it has no declared link with. Linear in the members plus the declared links: each member's
 * unlinked peers are counted from its linked set, and at most {@link PEERS_NAMED} are named.
 */
function judgeNetwork(members: readonly Member[], out: StackOutcome[]): void {
  if (members.length < 2) return;
  const byKey = new Map<string, Member[]>();
  for (const m of members) {
    for (const k of keysOf(m)) {
      const list = byKey.get(k);
      if (!list) byKey.set(k, [m]);
      else if (list[list.length - 1] !== m) list.push(m);
    }
  }
  for (const m of members) {
    for (const t of m.targets) {
      for (const peer of byKey.get(t) ?? []) if (peer !== m) link(m, peer);
    }
  }
  // Members whose own links are all known: the only peers a pair can *fail* with.
  const known = members.filter((m) => !m.unknownLinks);
  const unknownCount = members.length - known.length;
  for (const m of members) {
    const linked = m.linked?.size ?? 0;
    const unlinked = members.length - 1 - linked;
    if (unlinked === 0) continue;
    if (m.unknownLinks) {
      out.push(...about(m.c, unknown(m.a.path, 'the declared links are not known yet')));
      continue;
    }
    // Unlinked peers whose links are not known yet may still declare one: those pairs are undecided.
    let linkedUnknown = 0;
    if (m.linked) for (const p of m.linked) if (p.unknownLinks) linkedUnknown++;
    const failing = unlinked - (unknownCount - linkedUnknown);
    if (failing === 0) {
      out.push(
        ...about(
          m.c,
          unknown(
            m.a.path,
            'the declared links of the containers it shares a network with are not known yet',
          ),
        ),
      );
      continue;
    }
    const names: string[] = [];
    for (const p of known) {
      if (names.length === PEERS_NAMED) break;
      if (p !== m && !m.linked?.has(p)) names.push(p.c.source.name);
    }
    const undecided = unlinked - failing;
    out.push(
      ...about(
        m.c,
        fail(
          m.a.path,
          `shares a network with ${failing} container${failing === 1 ? '' : 's'} without a declared link ` +
            `either way: ${peerList(names, failing)}` +
            (undecided > 0 ? ` (and ${undecided} whose links are not known yet)` : ''),
        ),
      ),
    );
  }
}

/** Segmentation: two containers share a network only because one of them needs to talk to the other. */
export const sharedNetworkNeedsLink: StackRule = {
  id: 'shared-network-needs-link',
  scope: 'stack',
  title: 'Containers may share a network only with a container they declare a link to',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A network shared by containers that do not talk to each other is lateral-movement space: when one ' +
    'is compromised, the others are one connection away. Declaring each link (who talks to whom) and ' +
    'giving each link its own network keeps the reachable set to what the design needs. A link counts ' +
    'when either side declares it: the `dev.bulkhead.links` label (by resource name or network alias), ' +
    'compose `depends_on`/`links`, or, in Pulumi, a dependency of one container on the other ' +
    '(`dependsOn`, or an input taken from an output of the other), since the program then ' +
    'states that the one needs the other. Each container gets one finding per shared network, naming ' +
    `its first ${PEERS_NAMED} unlinked peers and counting the rest.`,
  remediation: {
    pulumi:
      'Declare the link on the client container (label `dev.bulkhead.links=<target>[:port]`, which the ' +
      'Bulkhead components write from their `links` option, or `dependsOn: [target]`) or move unrelated ' +
      'containers to separate networks.',
    compose: 'Add the target to `depends_on`/`links` of the client service, or split the network.',
    dockerRun: 'Label the client `--label dev.bulkhead.links=<target>:<port>`, or use a network per link.',
  },
  references: {
    nist: '4.3.3',
    docs: 'https://docs.docker.com/engine/network/#user-defined-networks',
  },
  example: {
    containers: [
      { name: 'api', networks: [{ name: 'backend' }] },
      { name: 'worker', networks: [{ name: 'backend' }] },
    ],
    networks: [{ name: 'backend' }],
    fails: ['api: networks[0]', 'worker: networks[0]'],
  },
  check({ containers }) {
    const out: StackOutcome[] = [];
    const members = new Map<string, Member[]>();
    for (const c of containers) {
      const atts = attachments(c);
      if (atts === 'unknown') {
        out.push(...about(c, unknown('networks')));
        continue;
      }
      let targets: { names: string[]; unknown: boolean } | undefined;
      for (const a of atts) {
        if (a.name === undefined) {
          out.push(...about(c, unknown(a.path)));
          continue;
        }
        targets ??= linkTargets(c);
        const list = members.get(a.name);
        // A container that joins one network twice is one member of it (its first attachment).
        if (list !== undefined && list[list.length - 1]!.c === c) continue;
        const m: Member = { c, a, targets: targets.names, unknownLinks: targets.unknown, linked: undefined };
        if (list) list.push(m);
        else members.set(a.name, [m]);
      }
    }
    for (const list of members.values()) judgeNetwork(list, out);
    return out;
  },
};
