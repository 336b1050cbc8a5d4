import { judgeHostSources } from './support/host-sources.js';
import { type ContainerRule, fail } from './types.js';

/** File names of container-engine API sockets. */
const SOCKETS = new Set([
  'docker.sock',
  'containerd.sock',
  'podman.sock',
  'crio.sock',
  'dockershim.sock',
  'buildkitd.sock',
]);

/** Directories that hold those sockets: mounting one exposes the socket inside it. */
const SOCKET_DIRS = new Set([
  '/run',
  '/var/run',
  '/run/containerd',
  '/var/run/containerd',
  '/run/podman',
  '/var/run/podman',
  '/run/docker',
  '/var/run/docker',
  '/run/buildkit',
]);

/** True when a host path is, or contains, a container engine's API socket. */
export function isEngineSocket(path: string): boolean {
  if (/^\\\\[.?]\\pipe\\docker_engine$/i.test(path)) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return SOCKETS.has(base) || SOCKET_DIRS.has(path);
}

/** CIS 5.32: the engine socket is root on the host. */
export const noDockerSocket: ContainerRule = {
  id: 'no-docker-socket',
  scope: 'container',
  title: "Containers must not mount the container engine's socket",
  severity: 'critical',
  level: 'baseline',
  rationale:
    'Whoever can talk to the Docker (or containerd, Podman) API can start a privileged container with ' +
    'the host filesystem mounted: a mounted engine socket, even read-only, is root on the host. Mounting ' +
    '/run or /var/run exposes the socket the same way.',
  remediation: {
    pulumi:
      'Remove the socket from `volumes`/`mounts`; if a tool must drive the engine, give it a socket proxy ' +
      'that allows only the API calls it needs, and record an exemption.',
    compose: 'Remove `/var/run/docker.sock` from `volumes`.',
    dockerRun: 'Do not pass `-v /var/run/docker.sock:...`.',
  },
  references: {
    nist: '4.5.5',
    cis: '5.32',
    docs: 'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
  },
  example: {
    insecure: { mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] },
    fails: 'mounts[0].source',
  },
  check(spec) {
    return judgeHostSources(spec, (s) =>
      isEngineSocket(s.path)
        ? fail(`mounts[${s.index}].source`, "mounts the container engine's API socket")
        : undefined,
    );
  },
};
