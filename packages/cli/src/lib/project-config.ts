/**
 * The project config: `bulkhead.config.{js,mjs,cjs,ts}` or a `bulkhead` key in package.json, found
 * from the working directory up (lilconfig), or named with `--config`. It names rule packages, the
 * rule selection, exemptions and defaults for flags; `validate`, `audit` and `rules` honour it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BUILTIN_ORIGIN,
  buildCatalog,
  catalog as bulkheadCatalog,
  type Catalog,
  type ExemptionsConfig,
  InputError,
  type ProfileName,
  parseExemptionsConfig,
  type RulePackage,
  type RuleQuery,
  type Severity,
} from '@bulkhead/core';
import { formatZodError, ruleQuerySchema } from '@bulkhead/core/schemas';
import { z } from 'zod';
import { FORMATS } from '../report/index.js';
import { EXIT, firstLine, UserError } from './exit.js';
import { readInputBytesSync } from './files.js';
import { FAIL_ON } from './flags.js';
import { checkExemptionRules, loadExemptions } from './report.js';
import { installTypeScriptHook } from './ts-hook.js';

/** Where lilconfig looks, in each directory from the working directory up. */
export const CONFIG_FILES = [
  'package.json',
  'bulkhead.config.js',
  'bulkhead.config.mjs',
  'bulkhead.config.cjs',
  'bulkhead.config.ts',
];

/**
 * Loads `bulkhead.config.ts` with the hook that runs TypeScript Pulumi programs: transpiled to
 * CommonJS on load (syntax only, no type check), so `export default { … }` is its `default`.
 */
function loadTypeScriptConfig(filepath: string): unknown {
  installTypeScriptHook(path.dirname(filepath), path.basename(filepath));
  return createRequire(filepath)(filepath);
}

function configSchema() {
  return z.strictObject(
    {
      rules: z
        .array(z.string({ error: 'rules entries must be package names or ./paths' }).min(1), {
          error: 'rules must be a list of rule packages (npm names or ./paths)',
        })
        .max(64, 'rules may name at most 64 packages')
        .default([]),
      select: ruleQuerySchema().optional(),
      exemptions: z
        .union([z.string().min(1), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
          error:
            'exemptions must be a file path, a list of exemptions or { exemptions, maxExpiryDays, trustLabels }',
        })
        .optional(),
      defaults: z
        .strictObject(
          {
            failOn: z.enum(FAIL_ON, { error: `failOn must be one of ${FAIL_ON.join(', ')}` }).optional(),
            format: z.enum(FORMATS, { error: `format must be one of ${FORMATS.join(', ')}` }).optional(),
            trustLabels: z.boolean({ error: 'trustLabels must be true or false' }).optional(),
          },
          { error: 'defaults must be an object { failOn, format, trustLabels }' },
        )
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}: the config takes rules, select, exemptions, defaults`
          : 'the config must be an object { rules, select, exemptions, defaults }',
    },
  );
}

/** The project config, read and checked, with its rule packages loaded. */
export interface ProjectConfig {
  /** The file it came from; undefined when there is none. */
  file: string | undefined;
  /** Bulkhead's rules plus the config's rule packages. */
  catalog: Catalog;
  /** The config's rule selection (empty: every rule of the profile). */
  select: RuleQuery;
  /** Exemptions written in the config. */
  exemptions: ExemptionsConfig | undefined;
  /** The exemptions file the config names, resolved from its directory. */
  exemptionsFile: string | undefined;
  defaults: {
    failOn?: (typeof FAIL_ON)[number] | undefined;
    format?: (typeof FORMATS)[number] | undefined;
    trustLabels?: boolean | undefined;
  };
}

const NONE: ProjectConfig = Object.freeze({
  file: undefined,
  catalog: bulkheadCatalog,
  select: {},
  exemptions: undefined,
  exemptionsFile: undefined,
  defaults: {},
});

/**
 * Finds and reads the project config (`explicit`: the `--config` file).
 * @throws {@link UserError}: exit 2 for a config that is unreadable or invalid, exit 3 for a rule
 * package that is not installed, each one line naming the file and the field
 */
export async function loadProjectConfig(
  explicit: string | undefined,
  cwd = process.cwd(),
): Promise<ProjectConfig> {
  checkConfigFiles(explicit, cwd);
  const { lilconfig } = await import('lilconfig');
  const searcher = lilconfig('bulkhead', {
    searchPlaces: CONFIG_FILES,
    stopDir: path.parse(cwd).root,
    loaders: { '.ts': loadTypeScriptConfig },
  });
  let found: { filepath: string; config: unknown } | null;
  try {
    found = explicit ? await searcher.load(path.resolve(cwd, explicit)) : await searcher.search(cwd);
  } catch (error) {
    // The TypeScript hook's own error (no transpiler installed) carries its exit code and hint.
    if (error instanceof UserError) throw error;
    const e = error as NodeJS.ErrnoException;
    const what = explicit ?? 'the project config';
    if (e?.code === 'ENOENT') throw new UserError(`--config ${explicit}: no such file`, EXIT.usage);
    throw new UserError(`${what} could not be loaded: ${firstLine(error)}`, EXIT.usage, [
      'a bulkhead.config.mjs exports its config as `export default { rules, select, exemptions, defaults }`',
    ]);
  }
  if (!found) return NONE;
  const file = found.filepath;
  const shown = path.relative(cwd, file) || file;
  const isPackageJson = path.basename(file) === 'package.json';
  const raw = (found.config as { default?: unknown } | null)?.default ?? found.config;
  const parsed = configSchema().safeParse(raw ?? {});
  if (!parsed.success) {
    const err = formatZodError(`${shown}:`, parsed.error, isPackageJson ? 'bulkhead' : '');
    throw new UserError(oneLine(err), EXIT.usage);
  }
  const dir = path.dirname(file);
  const packages: RulePackage[] = [];
  for (const [i, spec] of parsed.data.rules.entries())
    packages.push(await loadRulePackage(spec, dir, `${shown}: rules[${i}]`));
  let catalog: Catalog;
  try {
    catalog = packages.length > 0 ? buildCatalog({ packages }) : bulkheadCatalog;
  } catch (error) {
    throw new UserError(`${shown}: ${oneLine(error)}`, EXIT.usage);
  }
  const config: ProjectConfig = {
    file,
    catalog,
    select: (parsed.data.select ?? {}) as RuleQuery,
    exemptions: undefined,
    exemptionsFile: undefined,
    defaults: parsed.data.defaults ?? {},
  };
  const ex = parsed.data.exemptions;
  if (typeof ex === 'string') config.exemptionsFile = path.resolve(dir, ex);
  else if (ex !== undefined) {
    try {
      config.exemptions = parseExemptionsConfig(ex, `${shown}: exemptions`);
    } catch (error) {
      throw new UserError(oneLine(error), EXIT.usage);
    }
  }
  try {
    catalog.select(config.select);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(`${shown}: ${firstLine(error)}`, EXIT.usage);
    throw error;
  }
  return config;
}

/** Largest config file (and package.json on the way up) read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Checks the files lilconfig will open, in its order (each name of {@link CONFIG_FILES} in each
 * directory from `cwd` up, to the first config; or the `--config` file), through the bounded
 * reader: a FIFO, a device or an oversized file is refused in one line naming it. lilconfig reads
 * with `fs.readFile` and `import`, which block on a FIFO and read /dev/zero without end.
 */
function checkConfigFiles(explicit: string | undefined, cwd: string): void {
  const check = (file: string) =>
    readInputBytesSync(file, { what: explicit ? '--config' : 'project config', maxBytes: MAX_CONFIG_BYTES });
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (existsSync(file)) check(file);
    return;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      const bytes = check(file);
      // lilconfig goes on past a package.json without a `bulkhead` key and past an empty file.
      if (name === 'package.json' ? namesConfig(bytes) : bytes.toString('utf8').trim() !== '') return;
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** True when a package.json holds a `bulkhead` key (lilconfig stops there), or does not parse (it fails there). */
function namesConfig(bytes: Buffer): boolean {
  try {
    const pkg = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof pkg !== 'object' || pkg === null || (pkg as Record<string, unknown>).bulkhead != null;
  } catch {
    return true;
  }
}

/**
 * Loads one rule package: an npm name resolved from the config's directory, or a `./path`. Its
 * default export (or the module itself) is `{ name, rules }` (`defineRulePackage`).
 */
async function loadRulePackage(spec: string, dir: string, where: string): Promise<RulePackage> {
  const local = spec.startsWith('.') || path.isAbsolute(spec);
  let resolved: string;
  try {
    resolved = createRequire(path.join(dir, 'bulkhead.config.js')).resolve(
      local ? path.resolve(dir, spec) : spec,
    );
  } catch {
    throw new UserError(
      `${where}: rule package "${spec}" is not installed${local ? ` (no such file from ${dir})` : ''}`,
      EXIT.environment,
      [
        local
          ? 'fix the path (relative to the config file)'
          : `install it next to the config: npm install -D ${spec}`,
      ],
    );
  }
  // Bounded like every input: `import` would block on a FIFO or read a device without end.
  readInputBytesSync(resolved, { what: `${where}: rule package` });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${where}: rule package "${spec}" failed to load: ${firstLine(error)}`, EXIT.usage);
  }
  const candidates = [mod.default, (mod.default as { default?: unknown } | undefined)?.default, mod];
  const pkg = candidates.find(
    (c): c is { name?: unknown; rules: unknown } =>
      typeof c === 'object' && c !== null && Array.isArray((c as { rules?: unknown }).rules),
  );
  if (!pkg) {
    throw new UserError(
      `${where}: rule package "${spec}" exports no rules: export default defineRulePackage({ name, rules })`,
      EXIT.usage,
    );
  }
  const name = typeof pkg.name === 'string' && pkg.name !== BUILTIN_ORIGIN ? pkg.name : spec;
  return { name, rules: pkg.rules as RulePackage['rules'] };
}

/** A multi-line validation error (a heading, then `  path: message` lines) as one line. */
const oneLine = (e: unknown) =>
  (e instanceof Error ? e.message : String(e))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');

/** The selection flags as they come from oclif. */
export interface SelectionFlags {
  config?: string | undefined;
  profile?: ProfileName | undefined;
  severity?: Severity[] | undefined;
  tag?: string[] | undefined;
  framework?: string[] | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
}

/**
 * The rule selection of a run: the config's `select`, each key replaced by its flag when given,
 * checked with the same schema as the config and the pack's settings.
 * @throws {@link UserError} (exit 2) naming the flag's key and the ids that match no rule
 */
export function selectionOf(flags: SelectionFlags, config: ProjectConfig): RuleQuery {
  const query: Record<string, unknown> = { ...config.select };
  const set = (key: keyof RuleQuery, value: unknown) => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) query[key] = value;
  };
  set('profile', flags.profile);
  set('severity', flags.severity);
  set('tags', flags.tag);
  set('frameworks', flags.framework);
  set('include', flags.include);
  set('exclude', flags.exclude);
  const parsed = ruleQuerySchema().safeParse(query);
  if (!parsed.success)
    throw new UserError(oneLine(formatZodError('rule selection:', parsed.error)), EXIT.usage);
  const select = parsed.data as RuleQuery;
  try {
    config.catalog.select(select);
  } catch (error) {
    throw new UserError(firstLine(error), EXIT.usage, ['bulkhead rules list']);
  }
  return select;
}

/** What `validate` and `audit` run with, from the project config and the flags. */
export interface RunSettings {
  config: ProjectConfig;
  catalog: Catalog;
  select: RuleQuery;
  profile: ProfileName;
  exemptions: ExemptionsConfig;
  failOn: (typeof FAIL_ON)[number];
  format: (typeof FORMATS)[number];
  trustEngineLabels: boolean;
}

/** Reads the project config and merges the flags over it (a flag wins over the config's value). */
export async function runSettings(
  flags: SelectionFlags & {
    exemptions?: string | undefined;
    'fail-on'?: (typeof FAIL_ON)[number] | undefined;
    format?: (typeof FORMATS)[number] | undefined;
    'trust-labels'?: boolean | undefined;
  },
): Promise<RunSettings> {
  const config = await loadProjectConfig(flags.config);
  const select = selectionOf(flags, config);
  const file = flags.exemptions ?? config.exemptionsFile;
  let exemptions: ExemptionsConfig;
  if (file !== undefined) exemptions = await loadExemptions(file, config.catalog);
  else {
    exemptions = config.exemptions ?? { exemptions: [] };
    if (config.file) checkExemptionRules(exemptions, config.file, config.catalog);
  }
  return {
    config,
    catalog: config.catalog,
    select,
    profile: select.profile ?? 'restricted',
    exemptions,
    failOn: flags['fail-on'] ?? config.defaults.failOn ?? 'high',
    format: flags.format ?? config.defaults.format ?? 'table',
    trustEngineLabels: flags['trust-labels'] === true || config.defaults.trustLabels === true,
  };
}
