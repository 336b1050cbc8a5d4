/**
 * `createPack(catalog, options)`: a team's policy pack in a few lines, from any catalog (Bulkhead's
 * rules plus rule packages, `buildCatalog`), served exactly like Bulkhead's own pack: one policy
 * per rule, the settings policy, the same unknown/secret handling.
 *
 * ```ts
 * // index.ts of a directory with a PulumiPolicy.yaml
 * import { buildCatalog } from '@bulkhead/core';
 * import { createPack } from '@bulkhead/policy-docker-hardening/factory';
 * import acme from '@acme/bulkhead-rules';
 * createPack(buildCatalog({ packages: [acme] }), { name: 'acme-docker', select: { exclude: ['cpu-limit'] } });
 * ```
 * @packageDocumentation
 */
import { Catalog, type RuleQuery, SEVERITIES } from '@bulkhead/core';
import { type EnforcementLevel, PolicyPack } from '@pulumi/policy';
import { buildPolicies, createState } from './policies.js';
import { interceptAnalyzer } from './sdk.js';
import { SETTINGS_POLICY } from './settings.js';

/** Options of {@link createPack}. */
export interface PackOptions {
  /** The pack's name as the engine shows it (`acme-docker`). */
  name: string;
  displayName?: string;
  description?: string;
  /**
   * Which rules the pack holds (the same query as the CLI's `select` and flags). Rules outside it
   * have no policy at all; the settings policy's `profile` still narrows at run time.
   */
  select?: RuleQuery;
  /**
   * Default enforcement by rule id or by severity (a rule id wins): `{ critical: 'mandatory',
   * 'acme/owner-label': 'advisory' }`. Unset: critical and high are mandatory, the rest advisory.
   * Pulumi's `--policy-pack-config` still overrides either per policy.
   */
  enforcement?: Readonly<Record<string, EnforcementLevel>>;
  /** Pulumi tags of the pack. */
  tags?: string[];
}

/** The catalog a pack holds: the query's rules, each keeping where it comes from. */
export function packCatalog(catalog: Catalog, select: RuleQuery | undefined): Catalog {
  if (select === undefined) return catalog;
  const rules = catalog.select(select);
  return new Catalog(rules, { origins: new Map(rules.map((r) => [r.id, catalog.origin(r.id) ?? ''])) });
}

/**
 * Builds and serves a policy pack over `catalog`. Call it once, from the pack's `main`.
 * @throws when the selection names no rule, or an enforcement key is neither a rule id nor a severity
 */
export function createPack(catalog: Catalog, options: PackOptions): PolicyPack {
  const selected = packCatalog(catalog, options.select);
  const state = createState(selected);
  const policies = buildPolicies(state);
  state.verified = interceptAnalyzer(state.wire, SETTINGS_POLICY, (config) => state.settings.load(config));
  const enforcement = options.enforcement ?? {};
  const severities: ReadonlySet<string> = new Set(SEVERITIES);
  for (const key of Object.keys(enforcement)) {
    if (!severities.has(key) && !catalog.has(key))
      throw new Error(`createPack ${options.name}: enforcement.${key} is neither a severity nor a rule id`);
  }
  for (const p of policies) {
    const rule = selected.get(p.name);
    if (!rule) continue;
    const level = enforcement[rule.id] ?? enforcement[rule.severity];
    if (level !== undefined) p.enforcementLevel = level;
  }
  return new PolicyPack(options.name, {
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    description:
      options.description ??
      `Docker hardening policies built with Bulkhead: ${selected.rules.length} rules over @pulumi/docker containers, services and networks.`,
    provider: 'docker',
    tags: options.tags ?? ['docker', 'security'],
    policies,
  });
}
