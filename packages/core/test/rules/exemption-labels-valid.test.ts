import { exemptionLabelsValid } from '../../src/rules/exemption-labels-valid.js';
import { describeStackRule } from '../../src/testing/jest.js';
import { stackExampleMutation } from '../../src/testing/kit.js';

describeStackRule(exemptionLabelsValid, { mutations: [stackExampleMutation(exemptionLabelsValid)] });
