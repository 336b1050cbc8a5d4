import type { ContainerSpec } from '../model/spec.js';
import { resourceKind } from './support/outcomes.js';
import { parseUser, ulimit } from './support/user.js';
import { type ContainerRule, fail, type Outcome, pass, unknown } from './types.js';

/** CIS 5.29: a PIDs limit stops fork bombs from exhausting the host's process table. */
export const pidsLimit: ContainerRule = {
  id: 'pids-limit',
  scope: 'container',
  title: 'Containers must have a PIDs limit',
  severity: 'medium',
  level: 'baseline',
  rationale:
    'The process table is shared by the whole host: a fork bomb in one container without a PIDs limit ' +
    'stops every other container and host service from starting processes. Where the resource type has ' +
    'no PIDs limit (the Pulumi docker provider has none), an `nproc` ulimit works only together with a ' +
    'numeric non-root uid that no other container uses, because the kernel counts nproc per uid.',
  remediation: {
    pulumi:
      '`docker.Container` cannot set a PIDs limit: set `ulimits: [{ name: "nproc", soft: 256, hard: 256 }]` ' +
      'and a numeric non-root `user` unique to this container (or accept the gap with an exemption).',
    compose: 'Set `pids_limit: 256` (or `deploy.resources.limits.pids`).',
    dockerRun: 'Pass `--pids-limit 256`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.29',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#pids-limit',
  },
  example: { insecure: { pidsLimit: undefined }, fails: 'pidsLimit' },
  check(spec) {
    if (spec.source.cannotExpress?.has('pidsLimit')) return nprocWorkaround(spec);
    const v = spec.pidsLimit;
    if (v === undefined) return fail('pidsLimit', 'has no PIDs limit');
    if (typeof v !== 'number') return unknown('pidsLimit');
    return v > 0 ? pass() : fail('pidsLimit', 'has no PIDs limit (0 or -1 means unlimited)');
  },
};

const GAP =
  'cannot set a PIDs limit; the workaround is an nproc ulimit together with a numeric non-root uid ' +
  'unique to this container, or accept the gap with an exemption';

function nprocWorkaround(spec: ContainerSpec): Outcome {
  const u = parseUser(spec.user);
  if (u.state === 'unknown') return unknown('user');
  if (u.state !== 'known' || u.uid === undefined || u.uid === 0) {
    return fail('user', `${resourceKind(spec)} ${GAP} (no numeric non-root uid is set)`);
  }
  const nproc = ulimit(spec, 'nproc');
  if (nproc.state === 'unknown') return unknown('ulimits');
  if (nproc.state === 'missing')
    return fail('ulimits', `${resourceKind(spec)} ${GAP} (no nproc ulimit is set)`);
  if (nproc.state === 'unbounded') {
    return fail(`ulimits[${nproc.index}]`, `${resourceKind(spec)} ${GAP} (the nproc ulimit is unbounded)`);
  }
  return pass();
}
