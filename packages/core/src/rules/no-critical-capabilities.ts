import { CRITICAL_CAPABILITIES, capAdds } from './support/capabilities.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

const LISTED = [...CRITICAL_CAPABILITIES].join(', ');

/** CIS 5.4: capabilities that amount to root on the host must never be added. */
export const noCriticalCapabilities: ContainerRule = {
  id: 'no-critical-capabilities',
  scope: 'container',
  title: 'Containers must not add capabilities that give control of the host',
  severity: 'critical',
  level: 'baseline',
  rationale:
    `Each of ${LISTED} is a known container-escape or host-tampering primitive: mounting filesystems and ` +
    'cgroups (SYS_ADMIN), loading kernel modules (SYS_MODULE), reading other processes (SYS_PTRACE), ' +
    'opening any file by handle (DAC_READ_SEARCH), rewriting host networking (NET_ADMIN), loading eBPF ' +
    'programs (BPF, PERFMON) or raw device I/O (SYS_RAWIO). ALL adds every one of them.',
  remediation: {
    pulumi:
      'Remove the capability from `capabilities.adds`; if the workload truly needs it, isolate it (gVisor ' +
      '`runtime: "runsc"`) and record an exemption with the reason.',
    compose: 'Remove the capability from `cap_add`.',
    dockerRun: 'Do not pass `--cap-add` for it (nor `--cap-add ALL`).',
  },
  references: {
    nist: '4.4.3',
    cis: '5.4',
    pss: 'Capabilities (baseline)',
    docs: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
  },
  example: { insecure: { capAdd: ['SYS_ADMIN'] }, fails: 'capAdd[0]' },
  check(spec) {
    const adds = capAdds(spec);
    if (adds === 'unknown') return unknown('capAdd');
    const out: Outcome[] = adds.caps
      .filter((c) => CRITICAL_CAPABILITIES.has(c.name))
      .map((c) =>
        fail(`capAdd[${c.index}]`, c.name === 'ALL' ? 'adds ALL capabilities' : `adds capability ${c.name}`),
      );
    for (const i of adds.unknownAt) out.push(unknown(`capAdd[${i}]`));
    return collect(out);
  },
};
