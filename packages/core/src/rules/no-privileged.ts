import { mustNotBeTrue } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.5: privileged containers get every capability and every host device. */
export const noPrivileged: ContainerRule = {
  id: 'no-privileged',
  scope: 'container',
  title: 'Containers must not run privileged',
  severity: 'critical',
  level: 'baseline',
  rationale:
    'A privileged container gets every Linux capability, all host devices and no seccomp, AppArmor or ' +
    'cgroup device restrictions: root inside it is root on the host.',
  remediation: {
    pulumi:
      'Remove `privileged: true` (or set it to false) and add only the capabilities the workload needs.',
    compose: 'Remove `privileged: true` from the service.',
    dockerRun: 'Do not pass `--privileged`; use `--cap-add` for a single needed capability.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.5',
    pss: 'Privileged Containers (baseline)',
    docs: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
  },
  example: { insecure: { privileged: true }, fails: 'privileged' },
  check: (spec) => mustNotBeTrue(spec.privileged, 'privileged', 'runs in privileged mode'),
};
