/**
 * `@bulkhead/core`: one normalized container model, one rule catalog, and the adapters,
 * exemptions and seccomp tools every Bulkhead surface shares.
 * @packageDocumentation
 */

export * from './adapters/index.js';
export {
  applyBaseline,
  BASELINE_VERSION,
  type Baseline,
  type BaselineEntry,
  type BaselineMatch,
  createBaseline,
  type FingerprintSubject,
  fingerprintFindings,
  MAX_BASELINE_ENTRIES,
  parseBaseline,
  resourceIdentity,
  serializeBaseline,
} from './baseline/index.js';
export {
  compareContainer,
  DRIFT_FIELDS,
  DRIFT_RULES,
  driftCatalog,
  type FieldDrift,
} from './drift/index.js';
export { InputError } from './errors.js';
export {
  BUILTIN_ORIGIN,
  type BuildCatalogOptions,
  buildCatalog,
  Catalog,
  type CatalogOptions,
  catalog,
  checkRulePackage,
  profiles,
  type RulePackage,
} from './evaluation/catalog.js';
export {
  type EvaluateOptions,
  type ExemptionProblem,
  evaluate,
  type Report,
  sourcePath,
} from './evaluation/evaluate.js';
export {
  coversEveryResource,
  DECLARED_LABEL_SOURCES,
  type Exemption,
  type ExemptionLimits,
  type ExemptionsConfig,
  expiryProblem,
  FILLER_WORDS,
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
} from './evaluation/exemptions.js';
export {
  type AppliedExemption,
  countFinding,
  describeFinding,
  emptySummary,
  type Finding,
  type FindingParts,
  type FindingResource,
  type FindingStatus,
  fixFor,
  type IgnoredExemption,
  type Summary,
} from './evaluation/findings.js';
export {
  FRAMEWORKS,
  frameworksOf,
  QUERY_KEYS,
  type RuleQuery,
  selectRules,
} from './evaluation/query.js';
export { exemptLabel, LABELS } from './model/labels.js';
export { SECURE, type SecureValues } from './model/secure-values.js';
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
/** How the machine fixes read what a user already stated (the rules' own parsers). */
export { noNewPrivilegesEntry } from './rules/no-new-privileges.js';
/** What the no-secrets-in-env rule judges a credential by (names and value shapes), for surfaces that must hide one. */
export { credentialShape, isSecretName } from './rules/no-secrets-in-env.js';
export { ADD_BACKS_LEFT_TO_USER, capName } from './rules/support/capabilities.js';
export { type Entry, entries, type Item, items } from './rules/support/lists.js';
export { about } from './rules/support/outcomes.js';
export {
  type ContainerRule,
  DEFAULT_UNKNOWN,
  type FixValues,
  fail,
  type NetworkRule,
  type Outcome,
  PROFILES,
  type ProfileName,
  type PulumiInputFix,
  pass,
  type Remediation,
  type Rule,
  type RuleMeta,
  type RuleReferences,
  SEVERITIES,
  type Severity,
  type StackOutcome,
  type StackRule,
  unknown,
} from './rules/types.js';
export {
  defineContainerRule,
  defineNetworkRule,
  defineRule,
  defineRulePackage,
  defineStackRule,
  type RuleDefinition,
} from './sdk/define.js';
export * from './seccomp/index.js';
export { escapeTerminal, needsTerminalEscape } from './text/terminal.js';
