import type { AnalyzerInfo, EnforcementLevel, PolicyPackConfig } from './types.js';

const LEVELS: readonly EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

/** A policy's reconciled config: what the engine sends in Configure. */
export interface ReconciledPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

/** Bad policy pack config: the message names each offending policy and field. */
export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid policy pack config:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'PolicyConfigError';
  }
}

interface Parsed {
  enforcementLevel?: EnforcementLevel;
  properties: Record<string, unknown>;
}

function parseConfig(config: PolicyPackConfig): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === 'string') {
      if (!LEVELS.includes(value)) {
        problems.push(`${name}: "${value}" is not an enforcement level (${LEVELS.join(', ')})`);
        continue;
      }
      out.set(name, { enforcementLevel: value, properties: {} });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value;
      if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel)) {
        problems.push(`${name}.enforcementLevel: must be one of ${LEVELS.join(', ')}`);
        continue;
      }
      const parsed: Parsed = { properties };
      if (enforcementLevel !== undefined) parsed.enforcementLevel = enforcementLevel;
      out.set(name, parsed);
    } else {
      problems.push(`${name}: must be an enforcement level or an object of config properties`);
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return out;
}

function apply(result: Map<string, ReconciledPolicyConfig>, given: Map<string, Parsed>): void {
  const all = given.get('all')?.enforcementLevel;
  if (all) for (const v of result.values()) v.enforcementLevel = all;
  for (const [name, g] of given) {
    const current = result.get(name) ?? { enforcementLevel: 'advisory', properties: {} };
    result.set(name, {
      enforcementLevel: g.enforcementLevel ?? current.enforcementLevel,
      properties: { ...current.properties, ...g.properties },
    });
  }
}

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  array: Array.isArray,
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  null: (v) => v === null,
};

/** The top-level checks the CLI's JSON-schema validation makes: required, type and enum. */
function validate(info: AnalyzerInfo, result: Map<string, ReconciledPolicyConfig>): string[] {
  const problems: string[] = [];
  for (const policy of info.policies) {
    const schema = policy.configSchema;
    if (!schema) continue;
    const props = result.get(policy.name)?.properties ?? {};
    for (const req of schema.required) {
      if (props[req] === undefined) problems.push(`${policy.name}: ${req} is required`);
    }
    for (const [key, raw] of Object.entries(schema.properties)) {
      const s = raw as { type?: string | string[]; enum?: unknown[] };
      const v = props[key];
      if (v === undefined) continue;
      const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
      if (types.length > 0 && !types.some((t) => JSON_TYPES[t]?.(v))) {
        problems.push(`${policy.name}.${key}: must be of type ${types.join(' or ')}`);
      }
      if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
        problems.push(
          `${policy.name}.${key}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Reconciles the pack's defaults, its initial config and the given config the way the Pulumi CLI
 * does before Configure: schema defaults, then initial config, then the given config (`all` first,
 * then per policy). Keys that name no policy are passed through, as the CLI does.
 *
 * The CLI validates each policy's config against its full JSON schema; this checks the top level
 * (`required`, `type`, `enum`) only — the pack should validate its config itself anyway.
 * @throws {@link PolicyConfigError}
 */
export function reconcileConfig(
  info: AnalyzerInfo,
  config: PolicyPackConfig | undefined,
): Map<string, ReconciledPolicyConfig> {
  const result = new Map<string, ReconciledPolicyConfig>();
  for (const p of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      const d = (s as { default?: unknown }).default;
      if (d !== undefined) properties[k] = structuredClone(d);
    }
    result.set(p.name, { enforcementLevel: p.enforcementLevel, properties });
  }
  const initial = new Map<string, Parsed>(
    Object.entries(info.initialConfig).map(([k, v]) => [k, { ...v, properties: { ...v.properties } }]),
  );
  apply(result, initial);
  if (config) apply(result, parseConfig(config));
  const problems = validate(info, result);
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return result;
}
