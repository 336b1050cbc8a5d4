import { mapKeyPath } from '../model/value.js';
import { entries } from './support/lists.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/**
 * The Pod Security Standards' safe sysctls: namespaced, and unable to affect other containers or
 * the host. (Kubernetes 1.32 list.)
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** PSS baseline: only sysctls known to be namespaced and harmless. */
export const safeSysctls: ContainerRule = {
  id: 'safe-sysctls',
  scope: 'container',
  title: 'Containers may set only safe sysctls',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'Some sysctls are not isolated per container and change the host kernel for everyone; others widen ' +
    "what the container's network stack accepts (routing, forwarding, martian packets). Only the Pod " +
    'Security Standards safe set is known to stay inside the container.',
  remediation: {
    pulumi: `Keep \`sysctls\` to the safe set: ${[...SAFE_SYSCTLS].join(', ')}.`,
    compose: 'Keep `sysctls` to the Pod Security Standards safe set.',
    dockerRun: 'Pass `--sysctl` only for the Pod Security Standards safe set.',
  },
  references: {
    nist: '4.4.3',
    pss: 'Sysctls (baseline)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#sysctl',
  },
  example: { insecure: { sysctls: { 'kernel.msgmax': '65536' } }, fails: 'sysctls["kernel.msgmax"]' },
  check(spec) {
    const all = entries<string>(spec.sysctls);
    if (all === 'unknown') return unknown('sysctls');
    const out: Outcome[] = [];
    all.forEach((e, i) => {
      // Docker accepts both net.ipv4.x and net/ipv4/x; compare in dotted form.
      const key = e.key.trim().replaceAll('/', '.');
      if (!SAFE_SYSCTLS.has(key)) {
        out.push(fail(mapKeyPath('sysctls', spec.sysctls, e.key, i), 'sets a sysctl outside the safe set'));
      }
    });
    return collect(out);
  },
};
