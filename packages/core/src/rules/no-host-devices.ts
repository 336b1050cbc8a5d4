import { items } from './support/lists.js';
import { collect } from './support/outcomes.js';
import { type ContainerRule, fail, type Outcome, unknown } from './types.js';

/** CIS 5.18: host devices bypass the device cgroup's default deny list. */
export const noHostDevices: ContainerRule = {
  id: 'no-host-devices',
  scope: 'container',
  title: 'Containers must not get host devices',
  severity: 'high',
  level: 'baseline',
  rationale:
    'A mapped device node (a disk, /dev/mem, a GPU, /dev/kvm) or a device cgroup rule lets the container ' +
    'talk to host hardware and its drivers directly: raw disk access reads any host file, and driver ' +
    'bugs are kernel bugs.',
  remediation: {
    pulumi:
      'Remove `devices`, `deviceCgroupRules` and `gpus`; if hardware access is the point, record an exemption.',
    compose: 'Remove `devices`, `device_cgroup_rules` and GPU `deploy.resources.reservations.devices`.',
    dockerRun: 'Do not pass `--device`, `--device-cgroup-rule` or `--gpus`.',
  },
  references: {
    nist: '4.4.3',
    cis: '5.18',
    docs: 'https://docs.docker.com/reference/cli/docker/container/run/#device',
  },
  example: { insecure: { devices: [{ hostPath: '/dev/kmsg' }] }, fails: 'devices[0]' },
  check(spec) {
    const out: Outcome[] = [];
    const devices = spec.devices;
    if (devices !== undefined) {
      if (!Array.isArray(devices)) out.push(unknown('devices'));
      else
        for (const i of devices.keys())
          out.push(fail(`devices[${i}]`, 'maps a host device into the container'));
    }
    const rules = items<string>(spec.deviceCgroupRules);
    if (rules === 'unknown') out.push(unknown('deviceCgroupRules'));
    else for (const r of rules) out.push(fail(`deviceCgroupRules[${r.index}]`, 'adds a device cgroup rule'));
    const gpus = spec.gpus;
    if (gpus !== undefined) {
      if (typeof gpus !== 'string') out.push(unknown('gpus'));
      else if (gpus.trim() !== '') out.push(fail('gpus', 'requests host GPUs'));
    }
    return collect(out);
  },
};
