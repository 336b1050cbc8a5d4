/**
 * `@bulkhead/core/testing`: the rule test kit. One compliant case and a table of mutations prove
 * what a rule does, in the normalized model and through every input kind. See docs/testing-rules.md.
 * @packageDocumentation
 */
export { compliantContainer, compliantNetwork } from './baseline.js';
export {
  COMPOSE_UNSET,
  INPUT_KINDS,
  KIT_PROJECT,
  type KitInputKind,
  type Written,
  writeCompose,
  writeComposeNetwork,
  writeComposeStack,
  writeInspect,
  writeInspectNetwork,
  writeInspectStack,
  writePulumi,
  writePulumiNetwork,
  writePulumiStack,
} from './inputs.js';
export { describeRule, describeStackRule } from './jest.js';
export {
  assertReport,
  assertRule,
  CANARY,
  type CheckResult,
  type Expectation,
  exampleMutation,
  type KitCheck,
  type Mutation,
  mutated,
  nonPassing,
  type Overrides,
  type RuleReport,
  type RuleTable,
  type StackMutation,
  type StackTable,
  stackExampleMutation,
  stackExampleSet,
  testRule,
  testStackRule,
  withOverrides,
} from './kit.js';
