/**
 * The authoring API for rule packages: a team writes rules on the normalized model with the same
 * metadata as Bulkhead's own, and every surface (policy pack, CLI, components, rule docs) runs
 * them beside ours. See docs/writing-rules.md.
 */
import { checkRulePackage, type RulePackage } from '../evaluation/catalog.js';
import { checkRule } from '../evaluation/rule-schema.js';
import type { ContainerRule, NetworkRule, Rule, StackRule } from '../rules/types.js';

/** A rule as written: everything but `scope`, which the `define*Rule` function sets. */
export type RuleDefinition<R extends Rule> = Omit<R, 'scope'>;

/**
 * Checks a rule (metadata complete and well formed, `check` a function) and returns it frozen.
 * A rule package's ids are namespaced, `<namespace>/<id>` (`acme/owner-label`).
 * @throws {@link InputError}, one line naming the rule and each wrong field
 */
export function defineRule<R extends Rule>(rule: R): R {
  checkRule(rule);
  return Object.freeze({ ...(rule as Rule) }) as R;
}

/** A rule over one container ({@link ContainerSpec}); see {@link defineRule}. */
export function defineContainerRule(rule: RuleDefinition<ContainerRule>): ContainerRule {
  return defineRule<ContainerRule>({ ...rule, scope: 'container' });
}

/** A rule over one network ({@link NetworkSpec}); see {@link defineRule}. */
export function defineNetworkRule(rule: RuleDefinition<NetworkRule>): NetworkRule {
  return defineRule<NetworkRule>({ ...rule, scope: 'network' });
}

/**
 * A rule over the whole stack (every container and network of one input); each outcome names the
 * resource it is about (`about(resource, fail(...))`). Report once per resource, never per pair.
 */
export function defineStackRule(rule: RuleDefinition<StackRule>): StackRule {
  return defineRule<StackRule>({ ...rule, scope: 'stack' });
}

/**
 * A rule package: its name (the npm package's, shown as each rule's origin) and its rules, each
 * with a namespaced id. Export it as the module's default export (or as `rules`).
 * @throws {@link InputError} when a rule is malformed, not namespaced or defined twice
 */
export function defineRulePackage(pkg: RulePackage): RulePackage {
  return checkRulePackage(pkg);
}
