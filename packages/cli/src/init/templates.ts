import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, visit } from 'yaml';

/**
 * The `bulkhead init` templates. Each is derived from the example of the same name in the
 * monorepo's `examples/` folder (one source of truth): the build copies it into `dist/templates`
 * with {@link deriveTemplate}, and `init` renders it with {@link renderTemplate}.
 */
export const TEMPLATE_NAMES = ['web-db', 'gvisor-worker', 'reverse-proxy'] as const;
/** A template name. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** One file of a template or of a generated project, by relative POSIX path. */
export interface TemplateFile {
  path: string;
  content: string;
}

/** Placeholder Pulumi's `pulumi new` replaces with the project name. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Pulumi's template placeholder, not a template literal
export const PROJECT_PLACEHOLDER = '${PROJECT}';
/** Placeholder Pulumi's `pulumi new` replaces with the project description. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Pulumi's template placeholder, not a template literal
export const DESCRIPTION_PLACEHOLDER = '${DESCRIPTION}';

/** Files and folders never copied from an example (its jest config is replaced by a standalone one). */
const EXAMPLE_SKIP = new Set(['node_modules', 'dist', 'bin', '.turbo', 'coverage', 'jest.config.cjs']);
/** Folders never read from a template directory. */
const TEMPLATE_SKIP = new Set(['node_modules']);

/** README lines between these markers only make sense inside the monorepo; templates drop them. */
const EXAMPLE_ONLY = /<!-- example-only -->[\s\S]*?<!-- \/example-only -->\n?/g;

/** Dev dependencies a generated project needs, with their ranges taken from the monorepo root. */
const DEV_TOOLS = ['@swc/core', '@swc/jest', '@types/jest', '@types/node', 'jest', 'typescript'] as const;

/** A standalone jest config for a generated project (the monorepo preset is not there). */
const STANDALONE_JEST_CONFIG = `// Jest runs the TypeScript tests through swc; \`.js\` import suffixes map back to the sources.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
  // Pulumi programs under mocks can take a few seconds to settle on a cold cache.
  testTimeout: 30000,
};
`;

const GITIGNORE = `/node_modules/
/bin/
*.tsbuildinfo
`;

interface MonorepoFacts {
  rootTsconfig: { compilerOptions?: Record<string, unknown> };
  rootDevDependencies: Record<string, string>;
  /** The Node versions Bulkhead supports (the root `engines`), which a generated project inherits. */
  rootEngines: Record<string, string>;
  bulkheadVersions: Record<string, string>;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Reads what a standalone project needs from the monorepo: base compiler options, tool versions. */
function monorepoFacts(repoRoot: string): MonorepoFacts {
  const rootPkg = readJson(path.join(repoRoot, 'package.json'));
  const bulkheadVersions: Record<string, string> = {};
  for (const dir of ['core', 'components']) {
    const pkg = readJson(path.join(repoRoot, 'packages', dir, 'package.json'));
    bulkheadVersions[String(pkg.name)] = String(pkg.version);
  }
  return {
    rootTsconfig: readJson(path.join(repoRoot, 'tsconfig.json')) as MonorepoFacts['rootTsconfig'],
    rootDevDependencies: (rootPkg.devDependencies ?? {}) as Record<string, string>,
    rootEngines: (rootPkg.engines ?? {}) as Record<string, string>,
    bulkheadVersions,
  };
}

function listFiles(dir: string, skip: ReadonlySet<string>, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel)).sort()) {
    if (skip.has(entry)) continue;
    const relPath = rel ? `${rel}/${entry}` : entry;
    if (statSync(path.join(dir, relPath)).isDirectory()) out.push(...listFiles(dir, skip, relPath));
    else out.push(relPath);
  }
  return out;
}

/**
 * Turns one example project into a `pulumi new` template: the project name and description become
 * `${PROJECT}`/`${DESCRIPTION}`, a `template:` section describes the config, the tsconfig and jest
 * config stop depending on the monorepo, Bulkhead packages get a semver range and the test tools
 * become dev dependencies.
 */
export function deriveTemplate(exampleDir: string, repoRoot: string): TemplateFile[] {
  const facts = monorepoFacts(repoRoot);
  const exampleName = path.basename(exampleDir);
  const files: TemplateFile[] = [];
  for (const rel of listFiles(exampleDir, EXAMPLE_SKIP)) {
    const raw = readFileSync(path.join(exampleDir, rel), 'utf8');
    files.push({ path: rel, content: transformFile(rel, raw, exampleName, facts) });
  }
  files.push({ path: 'jest.config.cjs', content: STANDALONE_JEST_CONFIG });
  if (!files.some((f) => f.path === '.gitignore')) files.push({ path: '.gitignore', content: GITIGNORE });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function transformFile(rel: string, raw: string, exampleName: string, facts: MonorepoFacts): string {
  switch (rel) {
    case 'Pulumi.yaml':
      return templatePulumiYaml(raw);
    case 'package.json':
      return templatePackageJson(raw, facts);
    case 'tsconfig.json':
      return standaloneTsconfig(raw, facts);
    case 'README.md':
      return raw
        .replace(EXAMPLE_ONLY, '')
        .replace(new RegExp(`^# ${escapeRegExp(exampleName)}\\b`), `# ${PROJECT_PLACEHOLDER}`);
    default:
      if (/^Pulumi\.[^.]+\.yaml$/.test(rel)) {
        // Stack config keys are namespaced by the project name.
        return raw.replace(
          new RegExp(`^(\\s*)${escapeRegExp(exampleName)}:`, 'gm'),
          `$1${PROJECT_PLACEHOLDER}:`,
        );
      }
      return raw;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rewrites a project file into a template: placeholders plus a `template.config` section. */
export function templatePulumiYaml(raw: string): string {
  const doc = parseDocument(raw);
  const description = String(doc.get('description') ?? '');
  doc.set('name', PROJECT_PLACEHOLDER);
  doc.set('description', DESCRIPTION_PLACEHOLDER);
  const config = (
    doc.toJS() as { config?: Record<string, { description?: string; default?: unknown; secret?: boolean }> }
  ).config;
  const templateConfig: Record<string, { description: string; default?: unknown; secret?: boolean }> = {};
  for (const [key, spec] of Object.entries(config ?? {})) {
    const entry: { description: string; default?: unknown; secret?: boolean } = {
      description: spec.description ?? key,
    };
    if (spec.default !== undefined) entry.default = spec.default;
    if (spec.secret === true) entry.secret = true;
    templateConfig[key] = entry;
  }
  const template: Record<string, unknown> = { description };
  if (Object.keys(templateConfig).length > 0) template.config = templateConfig;
  doc.set('template', doc.createNode(template));
  return doc.toString({ lineWidth: 0 });
}

function templatePackageJson(raw: string, facts: MonorepoFacts): string {
  const pkg = JSON.parse(raw) as Record<string, unknown>;
  const pin = (deps: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, range] of Object.entries((deps ?? {}) as Record<string, string>)) {
      const version = facts.bulkheadVersions[name];
      out[name] = version ? `^${version}` : range;
    }
    return out;
  };
  const devDependencies = pin(pkg.devDependencies);
  for (const tool of DEV_TOOLS) {
    const range = facts.rootDevDependencies[tool];
    if (range) devDependencies[tool] = range;
  }
  const out: Record<string, unknown> = {
    name: PROJECT_PLACEHOLDER,
    version: '0.1.0',
    private: true,
    description: DESCRIPTION_PLACEHOLDER,
    engines: facts.rootEngines,
    main: pkg.main ?? 'index.ts',
    scripts: pkg.scripts,
    dependencies: pin(pkg.dependencies),
    devDependencies: sortKeys(devDependencies),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function standaloneTsconfig(raw: string, facts: MonorepoFacts): string {
  const own = JSON.parse(raw) as { compilerOptions?: Record<string, unknown>; include?: string[] };
  const compilerOptions = { ...(facts.rootTsconfig.compilerOptions ?? {}), ...(own.compilerOptions ?? {}) };
  const out = { compilerOptions, include: own.include ?? ['index.ts', 'test'] };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Values substituted into a template. */
export interface RenderOptions {
  /** Pulumi project and npm package name. */
  project: string;
  description: string;
}

/**
 * Replaces `${PROJECT}` and `${DESCRIPTION}` in every file through the file's own encoder: YAML
 * files are edited as YAML documents (the `yaml` library writes the values), JSON files as JSON,
 * and anything else gets the description on one line with control characters escaped. A newline
 * in a description stays inside its value, never starts a key.
 */
export function renderTemplate(files: readonly TemplateFile[], opts: RenderOptions): TemplateFile[] {
  const fill = (s: string, description: string) =>
    s.split(PROJECT_PLACEHOLDER).join(opts.project).split(DESCRIPTION_PLACEHOLDER).join(description);
  return files.map((f) => {
    if (!f.content.includes(PROJECT_PLACEHOLDER) && !f.content.includes(DESCRIPTION_PLACEHOLDER)) return f;
    if (/\.ya?ml$/.test(f.path)) {
      const doc = parseDocument(f.content);
      visit(doc, {
        Scalar(_key, node) {
          if (typeof node.value === 'string') node.value = fill(node.value, opts.description);
        },
      });
      return { path: f.path, content: doc.toString({ lineWidth: 0 }) };
    }
    if (f.path.endsWith('.json')) {
      const replace = (v: unknown): unknown =>
        typeof v === 'string'
          ? fill(v, opts.description)
          : Array.isArray(v)
            ? v.map(replace)
            : v && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [fill(k, opts.description), replace(x)]))
              : v;
      return { path: f.path, content: `${JSON.stringify(replace(JSON.parse(f.content)), null, 2)}\n` };
    }
    return { path: f.path, content: fill(f.content, oneLine(opts.description)) };
  });
}

/** Text on one line: line breaks and other control characters escaped as `\uXXXX`. */
export function oneLine(s: string): string {
  return s.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Files npm leaves out of a published tarball whatever `files` says (`.gitignore`), and the name each
 * is stored under in the CLI's built templates; {@link readTemplateDir} gives it its real name back.
 */
const PACKED_NAMES: Readonly<Record<string, string>> = { '.gitignore': 'gitignore' };

/** The relative path a template file is stored under in the built (and published) templates. */
export function packedPath(rel: string): string {
  const base = path.posix.basename(rel);
  const packed = PACKED_NAMES[base];
  return packed ? path.posix.join(path.posix.dirname(rel), packed) : rel;
}

/** The real relative path of a file stored under {@link packedPath}. */
function unpackedPath(rel: string): string {
  const base = path.posix.basename(rel);
  const real = Object.keys(PACKED_NAMES).find((name) => PACKED_NAMES[name] === base);
  return real ? path.posix.join(path.posix.dirname(rel), real) : rel;
}

/** Reads a template tree as the build writes it into `dist/templates/<name>` (see {@link packedPath}). */
export function readTemplateDir(dir: string): TemplateFile[] {
  if (!existsSync(dir)) return [];
  return listFiles(dir, TEMPLATE_SKIP)
    .map((rel) => ({ path: unpackedPath(rel), content: readFileSync(path.join(dir, rel), 'utf8') }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
