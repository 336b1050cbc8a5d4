/**
 * Pack-wide settings: the profile and the exemptions. Pulumi passes policy config per policy, so
 * they live under one dedicated policy, {@link SETTINGS_POLICY}, whose config schema the CLI
 * validates and documents; the pack validates again with zod for path-named errors.
 */
import {
  type Catalog,
  type Exemption,
  expiryProblem,
  MIN_REASON_VISIBLE,
  PROFILES,
  type ProfileName,
} from '@bulkhead/core';
import { exemptionSchema, formatZodError, maxExpiryDaysSchema } from '@bulkhead/core/schemas';
import type { PolicyConfigSchema } from '@pulumi/policy';
import type * as Zod from 'zod';

/** Name of the policy that carries the pack's settings in `--policy-pack-config`. */
export const SETTINGS_POLICY = 'bulkhead-settings';

/** The pack's settings after validation. */
export interface Settings {
  profile: ProfileName;
  exemptions: Exemption[];
  /** Longest an exemption (configured or a label) may run, in days from today; unset = no limit. */
  maxExpiryDays?: number;
}

/** What the pack runs with when no settings are configured. */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  profile: 'restricted',
  exemptions: [],
}) as Settings;

/** JSON schema of the settings policy's config, as Pulumi's CLI validates it. */
export function settingsConfigSchema(catalog: Catalog): PolicyConfigSchema {
  return {
    properties: {
      profile: {
        type: 'string',
        enum: [...PROFILES],
        default: DEFAULT_SETTINGS.profile,
        description: 'Which rules run: `baseline` (the baseline rules) or `restricted` (every rule).',
      },
      exemptions: {
        type: 'array',
        default: [],
        description:
          'Accepted risks: `{rule, resource, reason, expires?}`; `resource` is a name or URN glob such as "web-*".',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['rule', 'reason'],
          properties: {
            rule: { type: 'string', enum: catalog.rules.map((r) => r.id) },
            resource: { type: 'string', minLength: 1 },
            reason: {
              type: 'string',
              minLength: MIN_REASON_VISIBLE,
              description: `Why the risk is accepted: at least ${MIN_REASON_VISIBLE} visible characters, no placeholder such as TODO.`,
            },
            expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          },
        },
      },
      maxExpiryDays: {
        type: 'integer',
        minimum: 1,
        maximum: 36500,
        description:
          'Longest an exemption may run, in days from today: every exemption (and exemption label) then needs an ' +
          '`expires` date within it. Unset: no limit.',
      },
    },
  };
}

/** The outcome of reading the settings: valid settings, or the defaults and a readable error. */
export type SettingsResult =
  | { settings: Settings; error?: undefined }
  | { settings: Settings; error: string };

/**
 * Validates the settings policy's config (as `getConfig()` returns it). Never throws: invalid
 * settings give the defaults plus an error naming each bad field, which the settings policy reports.
 */
export function parseSettings(config: unknown, catalog: Catalog): SettingsResult {
  // zod is required here, not at the top: the pack's start-up (until the engine gets its port)
  // does not need it, and settings are parsed once per configuration.
  const { z } = require('zod') as typeof Zod;
  const schema = z.object({
    profile: z
      .enum(PROFILES, { error: `profile must be one of ${PROFILES.join(', ')}` })
      .default(DEFAULT_SETTINGS.profile),
    exemptions: z
      .array(
        exemptionSchema().refine((e) => catalog.has(e.rule), {
          message: 'no rule has this id (the pack lists one policy per rule id)',
          path: ['rule'],
        }),
      )
      .default([]),
    maxExpiryDays: maxExpiryDaysSchema().optional(),
  });
  const result = schema
    .superRefine((s, ctx) => {
      const maxExpiryDays = s.maxExpiryDays;
      if (maxExpiryDays === undefined) return;
      const now = new Date();
      s.exemptions.forEach((e, i) => {
        const problem = expiryProblem(e.expires, { maxExpiryDays }, now);
        if (problem) ctx.addIssue({ code: 'custom', path: ['exemptions', i, 'expires'], message: problem });
      });
    })
    .safeParse(config ?? {});
  if (!result.success) {
    return {
      settings: DEFAULT_SETTINGS,
      error: formatZodError(`Invalid ${SETTINGS_POLICY} config:`, result.error, SETTINGS_POLICY).message,
    };
  }
  const exemptions = result.data.exemptions.map((e) => {
    const out: Exemption = { rule: e.rule, resource: e.resource, reason: e.reason };
    if (e.expires !== undefined) out.expires = e.expires;
    return out;
  });
  const settings: Settings = { profile: result.data.profile, exemptions };
  if (result.data.maxExpiryDays !== undefined) settings.maxExpiryDays = result.data.maxExpiryDays;
  return { settings };
}

/**
 * Holds the current settings. They are set from the Configure request as soon as it arrives (see
 * `captureConfigure` in index.ts) and again from the settings policy's `getConfig()` on every
 * analysis, so a Remediate that runs before any Analyze already sees them.
 */
export class SettingsStore {
  #key = '';
  #result: SettingsResult = { settings: DEFAULT_SETTINGS };
  /** Bumped whenever the settings change; part of every cache key. */
  generation = 0;

  constructor(private readonly catalog: Catalog) {}

  /** Loads settings from raw config; cheap when the config did not change. */
  load(config: unknown): SettingsResult {
    const key = JSON.stringify(config ?? {});
    if (key !== this.#key) {
      this.#key = key;
      this.#result = parseSettings(config, this.catalog);
      this.generation++;
    }
    return this.#result;
  }

  get current(): SettingsResult {
    return this.#result;
  }
}
