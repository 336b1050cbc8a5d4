import { fail, type NetworkRule, pass, unknown } from './types.js';

/** Segmentation: networks carry traffic between containers, not to the outside world. */
export const networkInternal: NetworkRule = {
  id: 'network-internal',
  scope: 'network',
  title: 'Networks must be internal',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'A non-internal network gives every container on it a route to the outside world: a compromised ' +
    'backend can download tools and exfiltrate data. Internal networks have no gateway out; a container ' +
    'that needs egress joins a separate egress network, whose reason is recorded as an exemption.',
  remediation: {
    pulumi:
      'Set `internal: true` on the `docker.Network`; for a network that must reach out, add the label ' +
      '`dev.bulkhead.exempt.network-internal` with the reason (the Bulkhead network component does this).',
    compose: 'Set `internal: true` on the network under top-level `networks`.',
    dockerRun: 'Create it with `docker network create --internal <name>`.',
  },
  references: {
    nist: '4.3.3',
    docs: 'https://docs.docker.com/reference/cli/docker/network/create/#internal',
  },
  example: { insecure: { internal: false }, fails: 'internal' },
  check(spec) {
    const v = spec.internal;
    if (v === undefined)
      return fail('internal', 'is not internal, so containers on it can reach outside networks');
    if (typeof v !== 'boolean') return unknown('internal');
    return v ? pass() : fail('internal', 'is not internal, so containers on it can reach outside networks');
  },
};
