/**
 * `@bulkhead/core`: one normalized container model, one rule catalog, and the adapters,
 * exemptions and seccomp tools every Bulkhead surface shares.
 * @packageDocumentation
 */

export * from './adapters/index.js';
export {
  compareContainer,
  DRIFT_FIELDS,
  DRIFT_RULES,
  driftCatalog,
  type FieldDrift,
} from './drift/index.js';
export { Catalog, catalog, profiles } from './engine/catalog.js';
export {
  type EvaluateOptions,
  type ExemptionProblem,
  evaluate,
  type Report,
  sourcePath,
} from './engine/evaluate.js';
export {
  coversEveryResource,
  DECLARED_LABEL_SOURCES,
  type Exemption,
  type ExemptionLimits,
  type ExemptionsConfig,
  expiryProblem,
  FILLER_WORDS,
  InputError,
  isCalendarDate,
  LABEL_SOURCES,
  type LabelExemption,
  MIN_REASON_VISIBLE,
  type ParseExemptionsOptions,
  PLACEHOLDER_MARKERS,
  parseExemptions,
  parseExemptionsConfig,
  readLabelExemptions,
  reasonProblem,
  SECRET_REASON,
  visibleLength,
} from './engine/exemptions.js';
export type {
  AppliedExemption,
  Finding,
  FindingResource,
  FindingStatus,
  IgnoredExemption,
  Summary,
} from './engine/findings.js';
export { exemptLabel, LABELS } from './model/labels.js';
export type * from './model/spec.js';
export {
  isKnown,
  isSecret,
  isUnknown,
  type MaybeSecret,
  reveal,
  Secret,
  UNKNOWN,
  type Unknown,
  type Val,
} from './model/value.js';
export {
  type ContainerRule,
  type NetworkRule,
  type Outcome,
  PROFILES,
  type ProfileName,
  type Remediation,
  type Rule,
  type RuleMeta,
  type RuleReferences,
  SEVERITIES,
  type Severity,
  type StackOutcome,
  type StackRule,
} from './rules/types.js';
export * from './seccomp/index.js';
export { escapeTerminal, needsTerminalEscape } from './text/terminal.js';
