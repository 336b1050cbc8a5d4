import { UNKNOWN } from '../../src/model/value.js';
import { noHostCgroupns } from '../../src/rules/no-host-cgroupns.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noHostCgroupns, {
  mutations: [
    exampleMutation(noHostCgroupns),
    {
      name: 'fails a mode that is neither private nor host',
      set: { cgroupnsMode: 'shared' },
      fails: 'cgroupnsMode',
    },
    {
      name: 'fails when unset (the cgroup v1 default is host)',
      set: { cgroupnsMode: undefined },
      fails: 'cgroupnsMode',
    },
  ],
});

describe('no-host-cgroupns', () => {
  const id = 'no-host-cgroupns';
  it('passes the compliant fixture (private)', () => expectPass(id, container()));
  it('fails when cgroupns is host (any case), or neither private nor host, saying which', () => {
    expect(expectFail(id, container({ cgroupnsMode: ' Host ' }), 'cgroupnsMode')).toEqual([
      "shares the host's cgroup namespace",
    ]);
    expect(expectFail(id, container({ cgroupnsMode: 'shared' }), 'cgroupnsMode')).toEqual([
      'the cgroup namespace mode is neither private nor host',
    ]);
    expectPass(id, container({ cgroupnsMode: ' PRIVATE ' }));
  });
  it('fails when cgroupns is unset, because the cgroup v1 default is host', () => {
    const [msg] = expectFail(id, container({ cgroupnsMode: undefined }), 'cgroupnsMode');
    expect(msg).toContain('cgroup v1');
  });
  it('is unknown when cgroupns is unknown', () =>
    expectUnknown(id, container({ cgroupnsMode: UNKNOWN }), 'cgroupnsMode'));
  it('reports the gap for a swarm service', () =>
    expect(expectFail(id, container({}, ['cgroupnsMode']), 'cgroupnsMode')).toEqual([
      'a swarm service cannot set the cgroup namespace mode; run it as a container or accept the gap with an exemption',
    ]));
});
