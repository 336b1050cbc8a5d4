import { notHostMode } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.31: opting out of the daemon's user-namespace remapping makes container root host root. */
export const noHostUserns: ContainerRule = {
  id: 'no-host-userns',
  scope: 'container',
  title: "Containers must not share the host's user namespace",
  severity: 'high',
  level: 'baseline',
  rationale:
    'When the daemon remaps users (userns-remap), root in a container is an unprivileged uid on the host. ' +
    '`--userns host` opts one container out: its root is host root again for every file and escape.',
  remediation: {
    pulumi: 'Remove `usernsMode: "host"`.',
    compose: 'Remove `userns_mode: host`.',
    dockerRun: 'Do not pass `--userns host`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.31',
    docs: 'https://docs.docker.com/engine/security/userns-remap/',
  },
  example: { insecure: { usernsMode: 'host' }, fails: 'usernsMode' },
  check: (spec) => notHostMode(spec.usernsMode, 'usernsMode', 'user'),
};
