// Selection is a query over a catalog: profile, severity, tags, frameworks, ids to include or
// exclude. One shape for the policy pack's config, the CLI's config file and its flags.
import { PROFILES, type ProfileName, type Rule, type Severity } from '../rules/types.js';
import { globMatcher } from './exemptions.js';

/**
 * Which rules run. Every key narrows the selection (keys are ANDed); the values of one key are
 * alternatives (ORed). An empty query selects every rule.
 */
export interface RuleQuery {
  /** Rules of this profile: `baseline`, or `restricted` (every rule). */
  profile?: ProfileName;
  /** Only rules of these severities. */
  severity?: readonly Severity[];
  /** Only rules carrying one of these tags. */
  tags?: readonly string[];
  /** Only rules mapped to one of these frameworks (see {@link FRAMEWORKS}, or a rule's own `frameworks`). */
  frameworks?: readonly string[];
  /** Only these rule ids; `*` matches any text (`acme/*`: every rule of the `acme` namespace). */
  include?: readonly string[];
  /** Never these rule ids (globs as in `include`); applied last. */
  exclude?: readonly string[];
}

/** The frameworks Bulkhead's references map to, by the name a query uses. */
export const FRAMEWORKS = {
  cis: 'CIS Docker Benchmark v1.6',
  pss: 'Kubernetes Pod Security Standards',
  'nist-800-190': 'NIST SP 800-190, Application Container Security Guide',
} as const;

/** The keys of {@link RuleQuery}, in the order they apply. */
export const QUERY_KEYS = ['profile', 'severity', 'tags', 'frameworks', 'include', 'exclude'] as const;

/** The frameworks a rule maps to: {@link FRAMEWORKS} from its references, then its own. */
export function frameworksOf(rule: Rule): string[] {
  const out: string[] = [];
  if (rule.references.cis !== undefined) out.push('cis');
  if (rule.references.pss !== undefined) out.push('pss');
  if (rule.references.nist !== undefined) out.push('nist-800-190');
  for (const f of rule.frameworks ?? []) if (!out.includes(f)) out.push(f);
  return out;
}

/** True when a rule of `level` belongs to `profile`: each profile holds the levels up to its own. */
export function levelIn(level: ProfileName, profile: ProfileName): boolean {
  return PROFILES.indexOf(level) <= PROFILES.indexOf(profile);
}

/**
 * A query's id patterns that match no rule of `rules` (a typo would otherwise silently select or
 * exclude nothing), as `include: "acme/onwer-label"` texts.
 */
export function unmatchedIds(rules: readonly Rule[], query: RuleQuery): string[] {
  const out: string[] = [];
  for (const key of ['include', 'exclude'] as const) {
    for (const pattern of query[key] ?? []) {
      const matches = globMatcher(pattern);
      if (!rules.some((r) => matches(r.id))) out.push(`${key}: "${pattern}"`);
    }
  }
  return out;
}

/** The rules of `rules` that a query selects, in their order. */
export function selectRules(rules: readonly Rule[], query: RuleQuery): Rule[] {
  const severity = query.severity && new Set<Severity>(query.severity);
  const tags = query.tags && new Set(query.tags);
  const frameworks = query.frameworks && new Set(query.frameworks);
  const include = query.include?.map(globMatcher);
  const exclude = query.exclude?.map(globMatcher) ?? [];
  return rules.filter(
    (r) =>
      (query.profile === undefined || levelIn(r.level, query.profile)) &&
      (severity === undefined || severity.has(r.severity)) &&
      (tags === undefined || (r.tags ?? []).some((t) => tags.has(t))) &&
      (frameworks === undefined || frameworksOf(r).some((f) => frameworks.has(f))) &&
      (include === undefined || include.some((m) => m(r.id))) &&
      !exclude.some((m) => m(r.id)),
  );
}

/** A query's cache key: the same selection gives the same key whatever the order of values. */
export function queryKey(query: RuleQuery): string {
  return QUERY_KEYS.map((k) => {
    const v = query[k];
    return v === undefined ? '' : typeof v === 'string' ? v : [...v].sort().join(',');
  }).join('|');
}
