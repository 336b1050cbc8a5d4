/**
 * `@bulkhead/core/schemas`: the zod schemas other Bulkhead packages build on (the policy pack's
 * configuration). Kept out of the main entry's declarations so that a program importing
 * `@bulkhead/core` (or `@bulkhead/components`) never type-checks zod's own declarations. At run
 * time both entries are the same bundle, so `InputError` and `Secret` stay one class each.
 * @packageDocumentation
 */
export {
  exemptionSchema,
  exemptionsFileSchema,
  formatZodError,
  maxExpiryDaysSchema,
  type ParsedExemption,
} from './evaluation/exemption-schema.js';
export { ruleQuerySchema } from './evaluation/query-schema.js';
