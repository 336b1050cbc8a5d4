import { notHostMode } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.21: the host UTS namespace lets the container rename the host. */
export const noHostUts: ContainerRule = {
  id: 'no-host-uts',
  scope: 'container',
  title: "Containers must not share the host's UTS namespace",
  severity: 'medium',
  level: 'baseline',
  rationale:
    "In the host's UTS namespace a container shares the host's hostname and NIS domain name and, with " +
    'SYS_ADMIN, can change them for the whole host, confusing logs, certificates and cluster membership.',
  remediation: {
    pulumi:
      '`docker.Container` has no UTS mode argument, so its containers get a private UTS namespace; if a ' +
      'finding appears, remove `--uts host` from the tool that started the container.',
    compose: 'Remove `uts: host`.',
    dockerRun: 'Do not pass `--uts host`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.21',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#uts',
  },
  example: { insecure: { utsMode: 'host' }, fails: 'utsMode' },
  check: (spec) => notHostMode(spec.utsMode, 'utsMode', 'UTS'),
};
