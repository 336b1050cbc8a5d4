import { notHostMode } from './support/outcomes.js';
import type { ContainerRule } from './types.js';

/** CIS 5.17: the host IPC namespace exposes host shared memory and semaphores. */
export const noHostIpc: ContainerRule = {
  id: 'no-host-ipc',
  scope: 'container',
  title: "Containers must not share the host's IPC namespace",
  severity: 'high',
  level: 'baseline',
  rationale:
    "Sharing the host's IPC namespace gives the container the host's System V and POSIX shared memory, " +
    'semaphores and message queues: it can read or corrupt data other host processes keep there.',
  remediation: {
    pulumi: 'Remove `ipcMode: "host"` (use `"private"` or leave the default).',
    compose: 'Remove `ipc: host`.',
    dockerRun: 'Do not pass `--ipc host`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.17',
    pss: 'Host Namespaces (baseline)',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#ipc',
  },
  example: { insecure: { ipcMode: 'host' }, fails: 'ipcMode' },
  check: (spec) => notHostMode(spec.ipcMode, 'ipcMode', 'IPC'),
};
