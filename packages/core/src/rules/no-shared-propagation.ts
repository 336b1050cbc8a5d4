import { isUnknown } from '../model/value.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** CIS 5.20: shared propagation lets mounts made inside the container appear on the host. */
export const noSharedPropagation: ContainerRule = {
  id: 'no-shared-propagation',
  scope: 'container',
  title: 'Bind mounts must not use shared propagation',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'With shared or rshared propagation, a mount created inside the container under the bind target ' +
    'propagates back to the host (and to other containers sharing it), so a process with mount rights ' +
    'can place filesystems on the host.',
  remediation: {
    pulumi: 'Remove `bindOptions.propagation` or set it to `"rprivate"` on each mount.',
    compose: 'Remove `bind.propagation: shared|rshared` from the volume, or use `rprivate`.',
    dockerRun: 'Do not use `bind-propagation=shared` or `rshared` in `--mount`.',
  },
  references: {
    nist: '4.5.5',
    cis: '5.20',
    docs: 'https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation',
  },
  example: {
    insecure: {
      mounts: [
        { type: 'bind', source: '/srv/data', target: '/data', readOnly: true, propagation: 'rshared' },
      ],
    },
    fails: 'mounts[0].propagation',
  },
  check(spec) {
    const list = spec.mounts;
    if (list === undefined) return collect([]);
    if (!Array.isArray(list)) return unknown('mounts');
    const out: Outcome[] = [];
    for (const [i, m] of list.entries()) {
      // An entry that is not known yet may be a mount with any propagation.
      if (typeof m !== 'object' || m === null || isUnknown(m)) {
        out.push(unknown(`mounts[${i}]`));
        continue;
      }
      const p = m.propagation;
      if (p === undefined) continue;
      if (typeof p !== 'string') out.push(unknown(`mounts[${i}].propagation`));
      else if (['shared', 'rshared'].includes(p.trim().toLowerCase())) {
        out.push(fail(`mounts[${i}].propagation`, 'uses shared mount propagation'));
      }
    }
    return collect(out);
  },
};
