import { UNKNOWN } from '../../src/model/value.js';
import { noHostDevices } from '../../src/rules/no-host-devices.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noHostDevices, {
  mutations: [
    exampleMutation(noHostDevices),
    { name: 'fails all GPUs', set: { gpus: 'all' }, fails: 'gpus' },
  ],
});

describe('no-host-devices', () => {
  const id = 'no-host-devices';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails for each mapped device', () =>
    void expectFail(
      id,
      container({ devices: [{ hostPath: '/dev/kvm' }, { hostPath: '/dev/fuse' }] }),
      'devices[0]',
      'devices[1]',
    ));
  it('fails for a device cgroup rule and for gpus', () =>
    void expectFail(
      id,
      container({ deviceCgroupRules: ['c 10:200 rwm'], gpus: 'all' }),
      'deviceCgroupRules[0]',
      'gpus',
    ));
  it('fails even when the device path is unknown, since a device is mapped', () =>
    void expectFail(id, container({ devices: [{ hostPath: UNKNOWN }] }), 'devices[0]'));
  it('is unknown when devices are unknown', () =>
    expectUnknown(id, container({ devices: UNKNOWN }), 'devices'));
  it('passes for a swarm service, which cannot map devices', () =>
    expectPass(id, container({}, ['devices'])));
  it('is unknown for unknown device cgroup rules or gpus, and passes blank gpus', () => {
    expectUnknown(
      id,
      container({ deviceCgroupRules: UNKNOWN, gpus: UNKNOWN as never }),
      'deviceCgroupRules',
      'gpus',
    );
    expectPass(id, container({ gpus: '  ' }));
  });
});
