import { UNKNOWN } from '../../src/model/value.js';
import { noCriticalCapabilities } from '../../src/rules/no-critical-capabilities.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown, outcomes } from './helpers.js';

describeRule(noCriticalCapabilities, {
  mutations: [
    exampleMutation(noCriticalCapabilities),
    {
      name: 'fails when cap_add has ALL',
      set: { capAdd: ['ALL'] },
      fails: 'capAdd[0]',
      messages: ['adds ALL capabilities'],
    },
    {
      name: 'fails lower-case and CAP_-prefixed names',
      set: { capAdd: ['NET_BIND_SERVICE', 'cap_sys_module'] },
      fails: 'capAdd[1]',
    },
    { name: 'passes a harmless add', set: { capAdd: ['NET_BIND_SERVICE', 'CHOWN'] } },
    { name: 'is unknown when cap_add is unknown', set: { capAdd: UNKNOWN }, unknown: 'capAdd' },
  ],
});

describe('no-critical-capabilities', () => {
  const id = 'no-critical-capabilities';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when cap_add has SYS_ADMIN, naming the capability', () => {
    expect(expectFail(id, container({ capAdd: ['SYS_ADMIN'] }), 'capAdd[0]')).toEqual([
      'adds capability SYS_ADMIN',
    ]);
  });
  it('fails when cap_add has ALL', () => {
    expect(expectFail(id, container({ capAdd: ['ALL'] }), 'capAdd[0]')).toEqual(['adds ALL capabilities']);
  });
  it('recognizes CAP_ prefixes and lower case (cap_sys_module, Cap_Bpf)', () => {
    expectFail(
      id,
      container({ capAdd: ['NET_BIND_SERVICE', 'cap_sys_module', ' Cap_Bpf '] }),
      'capAdd[1]',
      'capAdd[2]',
    );
  });
  it.each(['SYS_PTRACE', 'DAC_READ_SEARCH', 'NET_ADMIN', 'SYS_RAWIO', 'PERFMON', 'SYS_BOOT'])(
    'fails when cap_add has %s',
    (cap) => void expectFail(id, container({ capAdd: [cap] }), 'capAdd[0]'),
  );
  it('passes a harmless add (NET_BIND_SERVICE, CHOWN)', () =>
    expectPass(id, container({ capAdd: ['NET_BIND_SERVICE', 'CHOWN'] })));
  it('is unknown when cap_add is unknown', () => expectUnknown(id, container({ capAdd: UNKNOWN }), 'capAdd'));
  it('is unknown at one unknown item but still fails a known critical one', () => {
    const spec = container({ capAdd: [UNKNOWN, 'SYS_ADMIN'] });
    expect(outcomes(id, spec).map((o) => [o.status, o.path])).toEqual([
      ['fail', 'capAdd[1]'],
      ['unknown', 'capAdd[0]'],
    ]);
  });
});
