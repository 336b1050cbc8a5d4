import { UNKNOWN } from '../../src/model/value.js';
import { networkIccDisabled } from '../../src/rules/network-icc-disabled.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { expectFail, expectPass, expectUnknown, network } from './helpers.js';

describeRule(networkIccDisabled, {
  mutations: [
    exampleMutation(networkIccDisabled),
    {
      name: 'fails when icc is true',
      set: { options: { 'com.docker.network.bridge.enable_icc': 'true' } },
      fails: 'options["com.docker.network.bridge.enable_icc"]',
    },
  ],
});

describe('network-icc-disabled', () => {
  const id = 'network-icc-disabled';
  const ICC = 'com.docker.network.bridge.enable_icc';
  it('passes the compliant network and a non-bridge driver', () => {
    expectPass(id, network());
    expectPass(id, network({ driver: 'overlay', options: undefined }));
  });
  it('fails when enable_icc is absent (defaults to true)', () => {
    expectFail(id, network({ options: undefined }), 'options');
    expectFail(id, network({ driver: undefined, options: {} }), 'options');
  });
  it('fails when enable_icc is "true"', () =>
    void expectFail(id, network({ options: { [ICC]: 'true' } }), `options["${ICC}"]`));
  it('is unknown when the options or the option are unknown', () => {
    expectUnknown(id, network({ options: UNKNOWN }), 'options');
    expectUnknown(id, network({ options: { [ICC]: UNKNOWN } }), 'options');
  });
});

describe('network-icc-disabled: drivers and spellings', () => {
  const id = 'network-icc-disabled';
  const ICC = 'com.docker.network.bridge.enable_icc';
  it('judges a blank or " Bridge " driver as the bridge driver, and leaves other drivers alone', () => {
    expectFail(id, network({ driver: ' ', options: {} }), 'options');
    expectFail(id, network({ driver: ' Bridge ', options: {} }), 'options');
    expectPass(id, network({ driver: 'overlay', options: {} }));
  });
  it('is unknown when the driver is not known yet', () =>
    expectUnknown(id, network({ driver: UNKNOWN, options: {} }), 'driver'));
  it('reads the option value trimmed and case-insensitively', () => {
    expectPass(id, network({ options: { [ICC]: ' False ' } }));
    expectFail(id, network({ options: { [ICC]: 'true' } }), `options[${JSON.stringify(ICC)}]`);
  });
});
