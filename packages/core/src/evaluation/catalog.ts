import { ALL_RULES } from '../rules/index.js';
import { PROFILES, type ProfileName, type Rule, SEVERITIES } from '../rules/types.js';

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** True when a rule of this level belongs to the profile: each profile holds the levels up to its own. */
function levelIn(level: ProfileName, profile: ProfileName): boolean {
  return PROFILES.indexOf(level) <= PROFILES.indexOf(profile);
}

/** A set of rules by id. Building one rejects duplicate or malformed ids. */
export class Catalog {
  readonly #byId = new Map<string, Rule>();
  readonly #rules: readonly Rule[];
  readonly #profiles = new Map<ProfileName, readonly Rule[]>();

  constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      if (!ID.test(rule.id)) throw new Error(`rule id "${rule.id}" must be kebab-case`);
      if (this.#byId.has(rule.id)) throw new Error(`duplicate rule id "${rule.id}"`);
      if (!SEVERITIES.includes(rule.severity)) throw new Error(`rule ${rule.id}: unknown severity`);
      if (!PROFILES.includes(rule.level)) throw new Error(`rule ${rule.id}: unknown level`);
      this.#byId.set(rule.id, Object.freeze(rule));
    }
    this.#rules = Object.freeze([...this.#byId.values()]);
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

  /** The rules of a profile: `baseline` is the baseline rules, `restricted` is every rule. */
  profile(name: ProfileName): readonly Rule[] {
    let rules = this.#profiles.get(name);
    if (!rules) {
      rules = Object.freeze(this.#rules.filter((r) => levelIn(r.level, name)));
      this.#profiles.set(name, rules);
    }
    return rules;
  }

  /** True when this catalog's `rule` belongs to the profile, without walking the profile's list. */
  inProfile(name: ProfileName, rule: Rule): boolean {
    return this.#byId.get(rule.id) === rule && levelIn(rule.level, name);
  }
}

/** Bulkhead's rule catalog. */
export const catalog = new Catalog(ALL_RULES);

/** Profiles as queries over {@link catalog}. */
export const profiles: Readonly<Record<ProfileName, readonly Rule[]>> = {
  baseline: catalog.profile('baseline'),
  restricted: catalog.profile('restricted'),
};
