import { UNKNOWN } from '../../src/model/value.js';
import { noUnmaskedPaths } from '../../src/rules/no-unmasked-paths.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noUnmaskedPaths, {
  mutations: [exampleMutation(noUnmaskedPaths)],
});

const NNP = 'no-new-privileges:true';

describe('no-unmasked-paths', () => {
  const id = 'no-unmasked-paths';
  it('passes the compliant fixture', () => expectPass(id, container()));
  it('fails when security_opt has systempaths=unconfined', () =>
    void expectFail(id, container({ securityOpt: [NNP, 'systempaths=unconfined'] }), 'securityOpt[1]'));
  it('is unknown when security_opt is unknown', () =>
    expectUnknown(id, container({ securityOpt: UNKNOWN }), 'securityOpt'));
});
