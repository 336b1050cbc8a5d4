import { SECURE } from '../model/secure-values.js';
import { editableObject, knownList } from './support/input-fixes.js';
import { ports } from './support/network.js';
import { collect, mustNotBeTrue } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]', '*']);

/** CIS 5.14 and 5.9: publish only chosen ports, each on a chosen host interface. */
export const portsBoundToInterface: ContainerRule = {
  id: 'ports-bound-to-interface',
  scope: 'container',
  title: 'Published ports must be bound to a specific host interface',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'A port published without a host IP listens on every interface, public ones included, and Docker ' +
    'inserts its own iptables rules ahead of most host firewalls. Binding to 127.0.0.1 or an internal ' +
    'address keeps a service off networks it was not meant for; publish-all opens every exposed port at once.',
  remediation: {
    pulumi: `Set \`ip: "${SECURE.portIp}"\` (or an internal address) on each entry of \`ports\`; do not set \`publishAllPorts\`.`,
    compose: `Write ports as \`"${SECURE.portIp}:8080:80"\`; do not use \`publish_all\` style defaults.`,
    dockerRun: `Pass \`-p ${SECURE.portIp}:8080:80\`; do not pass \`-P\`/\`--publish-all\`.`,
  },
  references: {
    nist: '4.4.2',
    cis: '5.14',
    docs: 'https://docs.docker.com/engine/network/port-publishing/',
  },
  example: { insecure: { ports: [{ containerPort: 8080, hostPort: 8080 }] }, fails: 'ports[0].hostIp' },
  pulumiFix: {
    apply(p, v) {
      const list = knownList(p.ports, v);
      if (list === undefined || list === 'other') return false;
      let changed = false;
      for (const port of list) {
        if (editableObject(port, v) && (port.ip === undefined || port.ip === null)) {
          port.ip = SECURE.portIp;
          changed = true;
        }
      }
      return changed;
    },
  },
  check(spec) {
    const out: Outcome[] = [];
    const all = mustNotBeTrue(
      spec.publishAllPorts,
      'publishAllPorts',
      'publishes every exposed port on all interfaces',
    );
    if (all.status !== 'pass') out.push(all);
    const list = ports(spec);
    if (list === 'unknown') out.push(unknown('ports'));
    else {
      for (const p of list) {
        if ('unknown' in p) out.push(unknown(`ports[${p.index}]`));
        else if (p.hostIp === undefined) {
          out.push(fail(`ports[${p.index}].hostIp`, 'publishes a port on all host interfaces (no host IP)'));
        } else if (typeof p.hostIp !== 'string') out.push(unknown(`ports[${p.index}].hostIp`));
        else if (WILDCARDS.has(p.hostIp.trim())) {
          out.push(fail(`ports[${p.index}].hostIp`, 'publishes a port on all host interfaces'));
        }
      }
    }
    return collect(out);
  },
};
