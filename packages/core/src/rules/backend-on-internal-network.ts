import type { NetworkSpec } from '../model/spec.js';
import { attachments, publishes } from './support/network.js';
import { about } from './support/outcomes.js';
import { fail, type Outcome, type StackOutcome, type StackRule, unknown } from './types.js';

/** Segmentation: a container that serves nobody outside the stack has no business reaching outside it. */
export const backendOnInternalNetwork: StackRule = {
  id: 'backend-on-internal-network',
  scope: 'stack',
  title: 'Backend containers must be attached only to internal networks',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A container that publishes no ports is a backend: it is reached by other containers, never from ' +
    'outside. Attached to a network that is not internal it can still open connections out, which is ' +
    'how a compromised backend fetches tools and exfiltrates data.',
  remediation: {
    pulumi:
      'Attach backends only to networks with `internal: true`; if one needs egress, attach it to a ' +
      'dedicated egress network and record an exemption with the reason.',
    compose: 'Attach backend services only to networks declared `internal: true`.',
    dockerRun: 'Connect backends only to networks created with `--internal`.',
  },
  references: {
    nist: '4.3.3',
    docs: 'https://docs.docker.com/reference/cli/docker/network/create/#internal',
  },
  example: {
    containers: [{ name: 'db', networks: [{ name: 'backend' }] }],
    networks: [{ name: 'backend', internal: false }],
    fails: ['db: networks[0]'],
  },
  check({ containers, networks }) {
    const out: StackOutcome[] = [];
    // Indexed once: a linear search per attachment made this rule quadratic on large stacks.
    const byName = new Map<unknown, NetworkSpec>();
    const bySourceName = new Map<string, NetworkSpec>();
    for (const n of networks) {
      if (!byName.has(n.name)) byName.set(n.name, n);
      if (!bySourceName.has(n.source.name)) bySourceName.set(n.source.name, n);
    }
    const find = (name: string): NetworkSpec | undefined => byName.get(name) ?? bySourceName.get(name);
    for (const c of containers) {
      const p = publishes(c);
      if (p.state === 'yes') continue;
      const atts = attachments(c);
      if (atts === 'unknown') {
        out.push(...about(c, unknown('networks')));
        continue;
      }
      for (const a of atts) {
        if (a.name === undefined) {
          out.push(...about(c, unknown(a.path)));
          continue;
        }
        const net = find(a.name);
        let o: Outcome;
        if (!net)
          o = unknown(
            a.path,
            'the network is not part of this evaluation, so whether it is internal is unknown',
          );
        else if (net.internal === true) continue;
        else if (net.internal !== undefined && typeof net.internal !== 'boolean') o = unknown(a.path);
        else if (p.state === 'unknown')
          o = unknown(p.at, 'whether the container publishes ports is not known yet');
        else o = fail(a.path, 'is a backend (publishes no ports) attached to a network that is not internal');
        out.push(...about(c, o));
      }
    }
    return out;
  },
};
