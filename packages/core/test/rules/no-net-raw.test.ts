import { UNKNOWN } from '../../src/model/value.js';
import { noNetRaw } from '../../src/rules/no-net-raw.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noNetRaw, {
  mutations: [
    exampleMutation(noNetRaw),
    { name: 'passes when NET_RAW itself is dropped', set: { capDrop: ['net_raw'] } },
    {
      name: "fails when NET_RAW is kept from Docker's default set",
      set: { capDrop: ['MKNOD'] },
      fails: 'capDrop',
    },
  ],
});

describe('no-net-raw', () => {
  const id = 'no-net-raw';
  it('passes the compliant fixture (drops ALL)', () => expectPass(id, container()));
  it('passes when NET_RAW itself is dropped', () => expectPass(id, container({ capDrop: ['net_raw'] })));
  it('fails when cap_add has NET_RAW even after dropping ALL', () =>
    void expectFail(id, container({ capAdd: ['NET_RAW'] }), 'capAdd[0]'));
  it('fails when cap_add has ALL, saying NET_RAW comes with it', () =>
    expect(expectFail(id, container({ capAdd: ['NET_BIND_SERVICE', 'CAP_ALL'] }), 'capAdd[1]')).toEqual([
      'adds ALL capabilities, NET_RAW included',
    ]));
  it('ignores other added capabilities and names NET_RAW when added', () => {
    expectPass(id, container({ capAdd: ['NET_BIND_SERVICE', 'CHOWN'] }));
    expect(expectFail(id, container({ capAdd: ['CHOWN', 'net_raw'] }), 'capAdd[1]')).toEqual([
      'adds capability NET_RAW',
    ]);
  });
  it("fails when NET_RAW is kept from Docker's default set", () =>
    void expectFail(id, container({ capDrop: ['MKNOD'] }), 'capDrop'));
  it('is unknown when cap_drop is unknown', () =>
    expectUnknown(id, container({ capDrop: UNKNOWN }), 'capDrop'));
  it('is unknown when cap_add is unknown after dropping ALL', () =>
    expectUnknown(id, container({ capAdd: UNKNOWN }), 'capAdd'));
  it('fails when the resource type cannot drop capabilities', () =>
    expect(expectFail(id, container({}, ['capDrop']), 'capDrop')).toEqual([
      'a swarm service cannot set dropped capabilities; run it as a container or accept the gap with an exemption',
    ]));
});
