import { InputError } from '../errors.js';
import { ALL_RULES } from '../rules/index.js';
import { PROFILES, type ProfileName, type Rule, SEVERITIES } from '../rules/types.js';
import { levelIn, queryKey, type RuleQuery, selectRules, unmatchedIds } from './query.js';
import { BARE_ID, checkRule, NAMESPACED_ID, ruleName } from './rule-schema.js';

/** Where Bulkhead's own rules come from, as {@link Catalog.origin} names it. */
export const BUILTIN_ORIGIN = 'bulkhead';

/** A team's rules, as a rule package exports them (see `defineRulePackage`). */
export interface RulePackage {
  /** The package's name (`@acme/bulkhead-rules`): where its rules come from in `rules list` and docs. */
  name: string;
  rules: readonly Rule[];
}

/** Options of {@link Catalog}'s constructor. */
export interface CatalogOptions {
  /** Where each rule comes from, by id; unlisted rules come from {@link BUILTIN_ORIGIN}. */
  origins?: ReadonlyMap<string, string>;
}

/** A set of rules by id. Building one rejects duplicate or malformed ids. */
export class Catalog {
  readonly #byId = new Map<string, Rule>();
  readonly #rules: readonly Rule[];
  readonly #profiles = new Map<ProfileName, readonly Rule[]>();
  readonly #selections = new Map<string, readonly Rule[]>();
  readonly #origins: ReadonlyMap<string, string>;

  constructor(rules: readonly Rule[], options: CatalogOptions = {}) {
    for (const rule of rules) {
      if (!BARE_ID.test(rule.id) && !NAMESPACED_ID.test(rule.id))
        throw new InputError(
          `rule id "${rule.id}" must be kebab-case ("<namespace>/<id>" in a rule package)`,
        );
      if (this.#byId.has(rule.id)) throw new InputError(`duplicate rule id "${rule.id}"`);
      if (!SEVERITIES.includes(rule.severity)) throw new InputError(`rule ${rule.id}: unknown severity`);
      if (!PROFILES.includes(rule.level)) throw new InputError(`rule ${rule.id}: unknown level`);
      this.#byId.set(rule.id, Object.freeze(rule));
    }
    this.#rules = Object.freeze([...this.#byId.values()]);
    this.#origins = options.origins ?? new Map();
  }

  /** All rules, in catalog order. */
  get rules(): readonly Rule[] {
    return this.#rules;
  }

  /** The rule with this id, if any. */
  get(id: string): Rule | undefined {
    return this.#byId.get(id);
  }

  /** True when a rule has this id. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Where a rule comes from: {@link BUILTIN_ORIGIN} or its package's name; undefined for no such rule. */
  origin(id: string): string | undefined {
    return this.#byId.has(id) ? (this.#origins.get(id) ?? BUILTIN_ORIGIN) : undefined;
  }

  /** The rules of a profile: `baseline` is the baseline rules, `restricted` is every rule. */
  profile(name: ProfileName): readonly Rule[] {
    let rules = this.#profiles.get(name);
    if (!rules) {
      rules = Object.freeze(this.#rules.filter((r) => levelIn(r.level, name)));
      this.#profiles.set(name, rules);
    }
    return rules;
  }

  /**
   * The rules a query selects, in catalog order (a frozen list, the same one for the same query).
   * @throws {@link InputError} when an id of `include` or `exclude` matches no rule (a typo)
   */
  select(query: RuleQuery): readonly Rule[] {
    const key = queryKey(query);
    let rules = this.#selections.get(key);
    if (!rules) {
      const unmatched = unmatchedIds(this.#rules, query);
      if (unmatched.length > 0) {
        throw new InputError(
          `rule selection: ${unmatched.join(', ')} names no rule in the catalog (see \`bulkhead rules list\`)`,
          unmatched.map((u) => u.slice(0, u.indexOf(':'))),
        );
      }
      rules = Object.freeze(selectRules(this.#rules, query));
      if (this.#selections.size < 64) this.#selections.set(key, rules);
    }
    return rules;
  }

  /** True when this catalog's `rule` belongs to the profile, without walking the profile's list. */
  inProfile(name: ProfileName, rule: Rule): boolean {
    return this.#byId.get(rule.id) === rule && levelIn(rule.level, name);
  }
}

/**
 * Checks a rule package: a name, and rules whose metadata is complete and well formed, each with a
 * namespaced id defined once. Returns it frozen.
 * @param index its place in a list of packages, for the error when it has no name
 * @throws {@link InputError}, one line naming the rule, the package and the field
 */
export function checkRulePackage(pkg: RulePackage, index?: number): RulePackage {
  const name = typeof pkg?.name === 'string' && pkg.name.trim() !== '' ? pkg.name : undefined;
  if (name === undefined || name === BUILTIN_ORIGIN) {
    throw new InputError(
      `rule package${index === undefined ? '' : ` ${index}`}: name must be the package's own name (not "${BUILTIN_ORIGIN}")`,
      ['name'],
    );
  }
  if (!Array.isArray(pkg.rules))
    throw new InputError(
      `rule package ${name}: rules must be a list of rules (defineRulePackage({ name, rules }))`,
      ['rules'],
    );
  const seen = new Set<string>();
  const rules = pkg.rules.map((candidate, i) => {
    const rule = checkRule(candidate, name, `${name} rules[${i}]`);
    if (!NAMESPACED_ID.test(rule.id)) {
      throw new InputError(
        `${ruleName(rule)} (${name}): id must be namespaced, "<namespace>/${rule.id}": bare ids are Bulkhead's own`,
        ['id'],
      );
    }
    if (seen.has(rule.id)) throw new InputError(`${ruleName(rule)} (${name}): id is defined twice`, ['id']);
    seen.add(rule.id);
    return rule;
  });
  return Object.freeze({ name, rules: Object.freeze(rules) });
}

/** Options of {@link buildCatalog}. */
export interface BuildCatalogOptions {
  /** Start from Bulkhead's own rules (default `true`). */
  builtins?: boolean;
  /** Rule packages to add, in order. */
  packages?: readonly RulePackage[];
}

/**
 * A catalog of Bulkhead's rules plus any number of rule packages. Each package rule is checked
 * (metadata complete and well-formed, id namespaced) and no id may be defined twice.
 * @throws {@link InputError}, one line naming the rule, its package and the field
 */
export function buildCatalog(options: BuildCatalogOptions = {}): Catalog {
  const rules: Rule[] = options.builtins === false ? [] : [...ALL_RULES];
  const origins = new Map<string, string>();
  for (const r of rules) origins.set(r.id, BUILTIN_ORIGIN);
  (options.packages ?? []).forEach((candidate, p) => {
    const pkg = checkRulePackage(candidate, p);
    for (const rule of pkg.rules) {
      const taken = origins.get(rule.id);
      if (taken !== undefined)
        throw new InputError(`${ruleName(rule)} (${pkg.name}): id is already defined by ${taken}`, ['id']);
      origins.set(rule.id, pkg.name);
      rules.push(rule);
    }
  });
  return new Catalog(rules, { origins });
}

/** Bulkhead's rule catalog. */
export const catalog = new Catalog(ALL_RULES);

/** Profiles as queries over {@link catalog}. */
export const profiles: Readonly<Record<ProfileName, readonly Rule[]>> = {
  baseline: catalog.profile('baseline'),
  restricted: catalog.profile('restricted'),
};
