import { type ContainerRule, fail, pass, unknown } from './types.js';

/** OCI runtimes known to implement Docker's isolation (or stronger, for runsc and kata). */
const ALLOWED =
  /^(runc|io\.containerd\.runc\.v2|runsc|io\.containerd\.runsc\.v1|kata.*|io\.containerd\.kata.*|sysbox-runc)$/;

/** Informational: an unknown runtime may not apply seccomp, AppArmor or cgroup limits as Docker expects. */
export const runtimeAllowlist: ContainerRule = {
  id: 'runtime-allowlist',
  scope: 'container',
  title: 'Containers must use a known OCI runtime',
  severity: 'info',
  level: 'restricted',
  rationale:
    'The runtime is what actually applies namespaces, seccomp, capabilities and cgroups. runc is the ' +
    'default; gVisor (runsc) and Kata Containers add a kernel boundary and are the better choice for ' +
    'untrusted code; sysbox-runc hardens system containers. Another runtime may skip controls the rest ' +
    'of this catalog assumes.',
  remediation: {
    pulumi: 'Leave `runtime` unset (runc) or set `runtime: "runsc"` for untrusted code.',
    compose: 'Remove `runtime`, or set `runtime: runsc` for untrusted code.',
    dockerRun: 'Omit `--runtime`, or pass `--runtime runsc` for untrusted code.',
  },
  references: {
    nist: '4.4.3',
    docs: 'https://docs.docker.com/engine/daemon/alternative-runtimes/',
  },
  example: { insecure: { runtime: 'custom-runtime' }, fails: 'runtime' },
  check(spec) {
    const v = spec.runtime;
    if (v === undefined) return pass();
    if (typeof v !== 'string') return unknown('runtime');
    const name = v.trim().toLowerCase();
    return name === '' || ALLOWED.test(name)
      ? pass()
      : fail('runtime', 'uses a runtime outside the allowlist');
  },
};
