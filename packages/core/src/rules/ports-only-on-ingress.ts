import { publishes } from './support/network.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** Segmentation: only containers declared as ingress face the outside world. */
export const portsOnlyOnIngress: ContainerRule = {
  id: 'ports-only-on-ingress',
  scope: 'container',
  title: 'Only ingress containers may publish ports',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'Every published port is an entry point from outside the stack. Keeping them on containers declared ' +
    'as ingress (a proxy, a gateway) makes the attack surface one reviewed place; backends are reached ' +
    'over internal networks only.',
  remediation: {
    pulumi:
      'Remove `ports` from backend containers; on the one ingress container add the label ' +
      '`dev.bulkhead.role=ingress` (the Bulkhead components set it with their ingress option).',
    compose: 'Remove `ports` from backend services; label the ingress service `dev.bulkhead.role: ingress`.',
    dockerRun: 'Do not pass `-p` to backends; label the ingress `--label dev.bulkhead.role=ingress`.',
  },
  references: {
    nist: '4.4.2',
    docs: 'https://docs.docker.com/engine/network/port-publishing/',
  },
  example: {
    insecure: { ports: [{ containerPort: 8080, hostPort: 8080, hostIp: '127.0.0.1' }] },
    fails: 'ports',
  },
  check(spec) {
    const p = publishes(spec);
    if (p.state === 'no') return pass();
    const ingress = spec.ingress;
    if (ingress === true) return pass();
    if (ingress !== undefined && typeof ingress !== 'boolean') return unknown('ingress');
    if (p.state === 'unknown') return unknown(p.at);
    return fail(p.at, 'publishes ports but is not declared an ingress');
  },
};
