import {
  about,
  type ContainerSpec,
  defineStackRule,
  fail,
  isKnown,
  items,
  reveal,
  type StackOutcome,
  unknown,
} from '@bulkhead/core';
import { OWNER_LABEL } from './owner-label.js';

/** The owner a container's label names; `undefined` when it has none, `unknown` when not known yet. */
function ownerOf(c: ContainerSpec): string | undefined | 'unknown' {
  if (c.labels === undefined) return undefined;
  if (!isKnown(c.labels)) return 'unknown';
  const owner = c.labels[OWNER_LABEL];
  if (owner === undefined) return undefined;
  return isKnown(owner) ? reveal(owner) : 'unknown';
}

/**
 * Teams do not share networks: a user-defined network carries the containers of one owner. Reports
 * once per container (naming how many other owners share the network), never once per pair.
 */
export const oneOwnerPerNetwork = defineStackRule({
  id: 'acme/one-owner-per-network',
  title: 'A network carries the containers of one team',
  severity: 'medium',
  level: 'restricted',
  rationale:
    "A network shared between teams lets one team's compromised container reach another team's services " +
    'with nobody owning that path.',
  remediation: {
    pulumi: 'Give each team its own docker.Network and connect shared services through a declared ingress.',
    compose: "Give each team's services their own network.",
    dockerRun: 'Create a network per team (`docker network create`) and attach only its containers.',
  },
  references: { docs: 'https://wiki.acme.example/platform/networks', nist: '4.3.3' },
  tags: ['segmentation'],
  frameworks: ['acme-baseline'],
  check({ containers }) {
    const out: StackOutcome[] = [];
    // network name -> owners seen on it, and its members with where they attach
    const byNetwork = new Map<
      string,
      { owners: Set<string>; members: { c: ContainerSpec; path: string }[] }
    >();
    for (const c of containers) {
      const owner = ownerOf(c);
      const nets = items(c.networks);
      if (nets === 'unknown') {
        out.push(...about(c, unknown('networks')));
        continue;
      }
      for (const n of nets) {
        if (!n.known) continue;
        const name = n.value.name;
        if (!isKnown(name) || name === 'bridge' || name === 'host' || name === 'none') continue;
        let entry = byNetwork.get(name);
        if (!entry) {
          entry = { owners: new Set(), members: [] };
          byNetwork.set(name, entry);
        }
        if (owner === 'unknown')
          out.push(...about(c, unknown(`networks[${n.index}]`, 'the owner is not known yet')));
        else entry.owners.add(owner ?? '(no owner)');
        entry.members.push({ c, path: `networks[${n.index}]` });
      }
    }
    for (const { owners, members } of byNetwork.values()) {
      if (owners.size < 2) continue;
      for (const m of members) {
        out.push(
          ...about(
            m.c,
            fail(m.path, `shares a network with containers of ${owners.size - 1} other owner(s)`),
          ),
        );
      }
    }
    return out;
  },
});
