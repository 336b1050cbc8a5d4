import { notHostMode } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.16: the host PID namespace shows, and lets the container signal, every host process. */
export const noHostPid: ContainerRule = {
  id: 'no-host-pid',
  scope: 'container',
  title: "Containers must not share the host's PID namespace",
  severity: 'critical',
  level: 'baseline',
  rationale:
    'With the host PID namespace a container sees every host process with its command line and ' +
    'environment, can signal them, and with SYS_PTRACE can attach to them; /proc/<pid>/root of a host ' +
    'process is a path into the host filesystem.',
  remediation: {
    pulumi: 'Remove `pidMode: "host"`.',
    compose: 'Remove `pid: host`.',
    dockerRun: 'Do not pass `--pid host`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.16',
    pss: 'Host Namespaces (baseline)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#pid',
  },
  example: { insecure: { pidMode: 'host' }, fails: 'pidMode' },
  check: (spec) => notHostMode(spec.pidMode, 'pidMode', 'PID'),
};
