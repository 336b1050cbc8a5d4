import { exemptionLabelsValid } from '../../src/rules/exemption-labels-valid.js';
import { compliantContainer, compliantNetwork } from '../../src/testing/baseline.js';
import { describeStackRule } from '../../src/testing/jest.js';
import { stackExampleSet } from '../../src/testing/kit.js';

describeStackRule(exemptionLabelsValid, {
  compliant: { containers: [compliantContainer()], networks: [compliantNetwork()] },
  mutations: [
    {
      name: 'fails on its insecure example',
      mutate: (set) => Object.assign(set, stackExampleSet(exemptionLabelsValid.example!)),
      fails: exemptionLabelsValid.example!.fails,
    },
  ],
});
