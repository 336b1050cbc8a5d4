import { catalog as bulkheadCatalog, type Catalog, frameworksOf, type Rule } from '@bulkhead/core';
import { EXIT, UserError } from './exit.js';
import { closest } from './suggest.js';

/** A rule's metadata as the CLI prints it in JSON (everything but the check function). */
export interface RuleJson {
  id: string;
  title: string;
  severity: Rule['severity'];
  profile: Rule['level'];
  scope: Rule['scope'];
  rationale: string;
  remediation: Rule['remediation'];
  references: Rule['references'];
  /** Where the rule comes from: `bulkhead`, or the rule package's name. */
  origin: string;
  tags: readonly string[];
  /** Frameworks it maps to (`cis`, `pss`, `nist-800-190`, or the rule's own). */
  frameworks: string[];
}

/** {@link RuleJson} of a rule. */
export function ruleJson(r: Rule, catalog: Catalog = bulkheadCatalog): RuleJson {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    profile: r.level,
    scope: r.scope,
    rationale: r.rationale,
    remediation: r.remediation,
    references: r.references,
    origin: catalog.origin(r.id) ?? 'bulkhead',
    tags: r.tags ?? [],
    frameworks: frameworksOf(r),
  };
}

/**
 * The rule with this id.
 * @throws {@link UserError} (exit 2) naming the closest ids when there is none.
 */
export function requireRule(id: string, catalog: Catalog = bulkheadCatalog): Rule {
  const rule = catalog.get(id);
  if (rule) return rule;
  throw unknownRule(id, undefined, catalog);
}

/** The error for an unknown rule id, with "did you mean" suggestions. */
export function unknownRule(id: string, context?: string, catalog: Catalog = bulkheadCatalog): UserError {
  const near = closest(
    id,
    catalog.rules.map((r) => r.id),
  );
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
  return new UserError(`${context ? `${context}: ` : ''}unknown rule "${id}"${hint}`, EXIT.usage, [
    near.length > 0 ? `bulkhead rules explain ${near[0]}` : 'bulkhead rules list',
  ]);
}
