import { ports } from './support/network.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** CIS 5.8: host ports below 1024 are where host services listen. */
export const noPrivilegedPorts: ContainerRule = {
  id: 'no-privileged-ports',
  scope: 'container',
  title: 'Containers must not publish privileged host ports',
  severity: 'low',
  level: 'restricted',
  rationale:
    'Ports below 1024 are reserved for system services (SSH, DNS, mail, HTTP on the host). A container ' +
    'taking one can impersonate the host service clients expect there. Publish a high port and let a ' +
    'reverse proxy or load balancer own the well-known port.',
  remediation: {
    pulumi: 'Set `external` on each entry of `ports` to 1024 or above.',
    compose: 'Use a host port of 1024 or above in `ports` (`"127.0.0.1:8080:80"`).',
    dockerRun: 'Pass `-p 127.0.0.1:8080:80` rather than a host port below 1024.',
  },
  references: {
    nist: '4.4.2',
    cis: '5.8',
    docs: 'https://docs.docker.com/engine/network/port-publishing/',
  },
  example: {
    insecure: { ports: [{ containerPort: 80, hostPort: 80, hostIp: '127.0.0.1' }] },
    fails: 'ports[0].hostPort',
  },
  check(spec) {
    const list = ports(spec);
    if (list === 'unknown') return unknown('ports');
    const out: Outcome[] = [];
    for (const p of list) {
      if ('unknown' in p) out.push(unknown(`ports[${p.index}]`));
      else if (p.hostPort === undefined) continue;
      else if (typeof p.hostPort !== 'number') out.push(unknown(`ports[${p.index}].hostPort`));
      else if (p.hostPort > 0 && p.hostPort < 1024) {
        out.push(fail(`ports[${p.index}].hostPort`, 'publishes a privileged host port (below 1024)'));
      }
    }
    return collect(out);
  },
};
