import { expressGap } from './support/outcomes.js';
import { type ContainerRule, fail, pass, unknown } from './types.js';

/** A private cgroup namespace hides the host's cgroup tree; on cgroup v1 hosts the default is host. */
export const noHostCgroupns: ContainerRule = {
  id: 'no-host-cgroupns',
  scope: 'container',
  title: 'Containers must use a private cgroup namespace',
  severity: 'medium',
  level: 'restricted',
  rationale:
    "In the host's cgroup namespace a container sees the host's whole cgroup hierarchy (every container's " +
    "and service's paths and limits), which helps an intruder map the host and is a step in known " +
    'cgroup-based escapes. Docker defaults to a private namespace only on cgroup v2 hosts; on cgroup v1 ' +
    'the default is host, so the mode must be set explicitly.',
  remediation: {
    pulumi: 'Set `cgroupnsMode: "private"`.',
    compose: 'Set `cgroup: private`.',
    dockerRun: 'Pass `--cgroupns private`.',
  },
  references: {
    nist: '4.4.3',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#cgroupns',
  },
  example: { insecure: { cgroupnsMode: 'host' }, fails: 'cgroupnsMode' },
  check(spec) {
    const gap = expressGap(spec, 'cgroupnsMode', 'the cgroup namespace mode');
    if (gap) return gap;
    const v = spec.cgroupnsMode;
    if (v === undefined) {
      return fail(
        'cgroupnsMode',
        'the cgroup namespace is not set private, and the default is host on cgroup v1',
      );
    }
    if (typeof v !== 'string') return unknown('cgroupnsMode');
    const mode = v.trim().toLowerCase();
    if (mode === 'private') return pass();
    if (mode === 'host') return fail('cgroupnsMode', "shares the host's cgroup namespace");
    return fail('cgroupnsMode', 'the cgroup namespace mode is neither private nor host');
  },
};
