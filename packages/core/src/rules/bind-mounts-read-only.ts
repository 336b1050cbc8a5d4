import { judgeHostSources } from './support/host-sources.js';
import { type ContainerRule, fail, unknown } from './types.js';

/** Host directories a container may write to are a way out of the container's filesystem. */
export const bindMountsReadOnly: ContainerRule = {
  id: 'bind-mounts-read-only',
  scope: 'container',
  title: 'Bind mounts must be read-only',
  severity: 'low',
  level: 'restricted',
  rationale:
    'A writable bind mount lets the container change files the host (or another container) later reads ' +
    'or runs: planted scripts, altered configuration, symlink tricks. Data the container must write ' +
    'belongs in a named volume, which the engine keeps apart from host paths.',
  remediation: {
    pulumi:
      'Set `readOnly: true` on each bind in `volumes`/`mounts`, or use a named volume for writable data.',
    compose: 'Append `:ro` to each bind in `volumes` (or `read_only: true`), or use a named volume.',
    dockerRun: 'Use `-v /host/path:/path:ro` or `--mount type=bind,...,readonly`.',
  },
  references: {
    nist: '4.5.5',
    docs: 'https://docs.docker.com/engine/storage/bind-mounts/#use-a-read-only-bind-mount',
  },
  example: {
    insecure: { mounts: [{ type: 'bind', source: '/srv/data', target: '/data' }] },
    fails: 'mounts[0].readOnly',
  },
  check(spec) {
    return judgeHostSources(spec, (s) =>
      s.readOnly === 'unknown'
        ? unknown(`mounts[${s.index}].readOnly`)
        : s.readOnly
          ? undefined
          : fail(`mounts[${s.index}].readOnly`, 'binds a host path read-write'),
    );
  },
};
