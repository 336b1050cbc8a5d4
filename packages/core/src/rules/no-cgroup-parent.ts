import { type ContainerRule, fail, pass, unknown } from './types.js';

/** CIS 5.25: keep containers in the cgroup the engine creates for them. */
export const noCgroupParent: ContainerRule = {
  id: 'no-cgroup-parent',
  scope: 'container',
  title: 'Containers must not set a custom cgroup parent',
  severity: 'medium',
  level: 'restricted',
  rationale:
    "A custom cgroup parent moves the container out of the engine's cgroup tree into one the engine does " +
    'not manage: limits set there (or their absence) replace what reviewers expect, and a parent shared ' +
    'with host services lets the container compete with or starve them.',
  remediation: {
    pulumi: 'Remove `cgroupParent`; set limits with `memory`, `cpus` and ulimits instead.',
    compose: 'Remove `cgroup_parent`.',
    dockerRun: 'Do not pass `--cgroup-parent`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.25',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#cgroup-parent',
  },
  example: { insecure: { cgroupParent: '/system.slice' }, fails: 'cgroupParent' },
  check(spec) {
    const v = spec.cgroupParent;
    if (v === undefined) return pass();
    if (typeof v !== 'string') return unknown('cgroupParent');
    return v.trim() === ''
      ? pass()
      : fail('cgroupParent', 'places the container under a custom cgroup parent');
  },
};
