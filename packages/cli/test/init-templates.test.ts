import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadTemplate } from '../src/init/scaffold.js';
import {
  DESCRIPTION_PLACEHOLDER,
  deriveTemplate,
  PROJECT_PLACEHOLDER,
  renderTemplate,
  TEMPLATE_NAMES,
  type TemplateFile,
  templatePulumiYaml,
} from '../src/init/templates.js';

const repoRoot = path.resolve(__dirname, '../../..');
const file = (files: readonly TemplateFile[], p: string): string => {
  const found = files.find((f) => f.path === p);
  if (!found) throw new Error(`no ${p} in ${files.map((f) => f.path).join(', ')}`);
  return found.content;
};

describe.each(TEMPLATE_NAMES)('template %s derived from examples/%s', (name) => {
  const files = deriveTemplate(path.join(repoRoot, 'examples', name), repoRoot);

  it('is a pulumi new template: placeholders for name and description, a template.config for every config key', () => {
    const example = parse(file(deriveRaw(name), 'Pulumi.yaml')) as {
      description: string;
      config: Record<string, { description: string; default?: unknown }>;
    };
    const project = parse(file(files, 'Pulumi.yaml')) as Record<string, unknown> & {
      template: { description: string; config: Record<string, { description: string; default?: unknown }> };
    };
    expect(project.name).toBe(PROJECT_PLACEHOLDER);
    expect(project.description).toBe(DESCRIPTION_PLACEHOLDER);
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: true } });
    expect(project.template.description).toBe(example.description);
    expect(Object.keys(project.template.config)).toEqual(Object.keys(example.config));
    for (const [key, spec] of Object.entries(example.config)) {
      expect(project.template.config[key]?.description).toBe(spec.description);
      expect(project.template.config[key]?.default).toEqual(spec.default);
    }
  });

  it('stands alone: no path reaches back into the monorepo, tsconfig is strict without extends', () => {
    for (const f of files)
      expect({ path: f.path, upward: f.content.includes('../../') }).toEqual({ path: f.path, upward: false });
    const tsconfig = JSON.parse(file(files, 'tsconfig.json')) as {
      extends?: string;
      compilerOptions: Record<string, unknown>;
    };
    expect(tsconfig.extends).toBeUndefined();
    expect(tsconfig.compilerOptions).toMatchObject({
      strict: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
    });
    expect(file(files, 'jest.config.cjs')).toContain('@swc/jest');
    expect(file(files, '.gitignore')).toContain('node_modules');
    expect(files.some((f) => f.path.startsWith('node_modules/'))).toBe(false);
  });

  it('depends on Bulkhead by semver range and brings its own test tools', () => {
    const pkg = JSON.parse(file(files, 'package.json')) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.name).toBe(PROJECT_PLACEHOLDER);
    expect(pkg.dependencies['@bulkhead/components']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['@bulkhead/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    for (const tool of ['jest', '@swc/jest', '@swc/core', 'typescript', '@types/jest', '@types/node']) {
      expect(pkg.devDependencies[tool]).toEqual(expect.any(String));
    }
    expect(pkg.scripts).toMatchObject({ test: 'jest' });
  });

  it('keeps the program and its tests byte for byte, and drops the monorepo-only README lines', () => {
    expect(file(files, 'index.ts')).toBe(file(deriveRaw(name), 'index.ts'));
    expect(file(files, 'test/index.test.ts')).toBe(file(deriveRaw(name), 'test/index.test.ts'));
    const readme = file(files, 'README.md');
    expect(readme.startsWith(`# ${PROJECT_PLACEHOLDER}`)).toBe(true);
    expect(readme).not.toContain('example-only');
  });
});

describe('renderTemplate', () => {
  const files = deriveTemplate(path.join(repoRoot, 'examples', 'web-db'), repoRoot);

  it('replaces the placeholders and escapes the description for YAML and JSON', () => {
    const description = 'Shop: "orders" & payments # v2';
    const out = renderTemplate(files, { project: 'shop', description });
    const project = parse(file(out, 'Pulumi.yaml')) as { name: string; description: string };
    expect(project).toMatchObject({ name: 'shop', description });
    const pkg = JSON.parse(file(out, 'package.json')) as { name: string; description: string };
    expect(pkg).toMatchObject({ name: 'shop', description });
    for (const f of out)
      expect({ path: f.path, left: /\$\{(PROJECT|DESCRIPTION)\}/.test(f.content) }).toEqual({
        path: f.path,
        left: false,
      });
  });
});

describe('templatePulumiYaml', () => {
  it('carries secret config declarations into template.config without inventing a default', () => {
    const out = parse(
      templatePulumiYaml(
        'name: x\nruntime: nodejs\ndescription: d\nconfig:\n  pw:\n    type: string\n    secret: true\n',
      ),
    ) as { template: { config: Record<string, unknown> } };
    expect(out.template.config.pw).toEqual({ description: 'pw', secret: true });
  });
});

/** The example's own files, untransformed, for comparison. */
function deriveRaw(name: string): TemplateFile[] {
  const dir = path.join(repoRoot, 'examples', name);
  return ['Pulumi.yaml', 'index.ts', 'test/index.test.ts'].map((p) => ({
    path: p,
    content: readFileSync(path.join(dir, p), 'utf8'),
  }));
}

describe('the templates outside the CLI', () => {
  const readTree = (dir: string, rel = ''): TemplateFile[] =>
    readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
      const p = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory()
        ? readTree(dir, p)
        : [{ path: p, content: readFileSync(path.join(dir, p), 'utf8') }];
    });

  it.each(TEMPLATE_NAMES)(
    'templates/%s (for pulumi new) is what the CLI derives: regenerate with node packages/cli/scripts/pulumi-templates.cjs',
    (name) => {
      const derived = deriveTemplate(path.join(repoRoot, 'examples', name), repoRoot);
      const committed = readTree(path.join(repoRoot, 'templates', name));
      const byPath = (a: TemplateFile, b: TemplateFile) => a.path.localeCompare(b.path);
      expect(committed.sort(byPath)).toEqual([...derived].sort(byPath));
    },
  );

  it('keeps every template .gitignore in the npm tarball (stored as gitignore) and init gets it back', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'bulkhead-pack-'));
    try {
      const cliDir = path.join(repoRoot, 'packages/cli');
      const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', out], {
        cwd: cliDir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(pack.status).toBe(0);
      const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
      expect(spawnSync('tar', ['-xzf', path.join(out, filename), '-C', out]).status).toBe(0);
      for (const name of TEMPLATE_NAMES) {
        const { files } = loadTemplate(name, path.join(out, 'package/dist/templates'));
        expect(files.map((f) => f.path)).toContain('.gitignore');
        expect(file(files, '.gitignore')).toMatch(/node_modules/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
