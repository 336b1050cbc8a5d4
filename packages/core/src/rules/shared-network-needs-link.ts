import type { ContainerSpec } from '../model/spec.js';
import { fail, type StackOutcome, type StackRule, unknown } from './types.js';
import { type Attachment, about, attachments, items } from './util.js';

/** The names a container's declared links point at, or `unknown` when some are not known yet. */
function linkTargets(c: ContainerSpec): { names: string[]; unknown: boolean } {
  const list = items<string>(c.links);
  if (list === 'unknown') return { names: [], unknown: true };
  // A list, not a set: a container declares a link or two.
  const names: string[] = [];
  let unknownSeen = false;
  for (const l of list) {
    if (!l.known) unknownSeen = true;
    // `name` or `name:port`
    else names.push(String(l.value).trim().replace(/:\d+$/, ''));
  }
  return { names, unknown: unknownSeen };
}

/** True when `from` declares a link to `to` (by resource name or an alias on the shared network). */
function declares(from: ContainerSpec, to: ContainerSpec, toAttachment: Attachment): boolean | 'unknown' {
  const t = linkTargets(from);
  if (t.names.includes(to.source.name) || toAttachment.aliases.some((a) => t.names.includes(a))) return true;
  return t.unknown ? 'unknown' : false;
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
    'giving each link its own network keeps the reachable set to what the design needs.',
  remediation: {
    pulumi:
      'Declare the link on the client container (label `dev.bulkhead.links=<target>[:port]`, which the ' +
      'Bulkhead components write from their `links` option) or move unrelated containers to separate networks.',
    compose: 'Add the target to `depends_on`/`links` of the client service, or split the network.',
    dockerRun: 'Label the client `--label dev.bulkhead.links=<target>:<port>`, or use a network per link.',
  },
  references: {
    docs: 'https://docs.docker.com/engine/network/#user-defined-networks',
  },
  check({ containers }) {
    const out: StackOutcome[] = [];
    const members = new Map<string, { c: ContainerSpec; a: Attachment }[]>();
    for (const c of containers) {
      const atts = attachments(c);
      if (atts === 'unknown') {
        out.push(...about(c, unknown('networks')));
        continue;
      }
      for (const a of atts) {
        if (a.name === undefined) out.push(...about(c, unknown(a.path)));
        else {
          const list = members.get(a.name);
          if (list) list.push({ c, a });
          else members.set(a.name, [{ c, a }]);
        }
      }
    }
    for (const list of members.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const x = list[i]!;
          const y = list[j]!;
          if (x.c === y.c) continue;
          const xy = declares(x.c, y.c, y.a);
          const yx = declares(y.c, x.c, x.a);
          if (xy === true || yx === true) continue;
          const outcome =
            xy === 'unknown' || yx === 'unknown'
              ? unknown(x.a.path, 'the declared links are not known yet')
              : fail(
                  x.a.path,
                  `shares a network with container "${y.c.source.name}" but neither declares a link to the other`,
                );
          out.push(...about(x.c, outcome));
        }
      }
    }
    return out;
  },
};
