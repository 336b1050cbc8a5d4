import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../lib/package-root.js';
import { deriveTemplate, readTemplateDir, type TemplateFile, type TemplateName } from './templates.js';

/** Where the build writes the derived templates. */
const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'dist', 'templates');

/** A template as `init` uses it. */
export interface LoadedTemplate {
  files: TemplateFile[];
  /** The description the template ships with (`template.description` in Pulumi.yaml). */
  description: string;
}

/**
 * Loads a built template.
 * @throws Error when the CLI was built without its templates.
 */
export function loadTemplate(name: TemplateName, dir = TEMPLATES_DIR): LoadedTemplate {
  let files = readTemplateDir(path.join(dir, name));
  const example = path.resolve(PACKAGE_ROOT, '../../examples', name);
  if (files.length === 0 && __filename.endsWith('.ts') && existsSync(example)) {
    // Running from the sources inside the monorepo (unit tests): derive it as the build would.
    files = deriveTemplate(example, path.resolve(example, '../..'));
  }
  const project = files.find((f) => f.path === 'Pulumi.yaml');
  if (!project) {
    throw new Error(
      `template ${name} is missing from ${dir}: build the CLI with \`npm run build -w @bulkhead/cli\`, ` +
        'which derives the templates from examples/.',
    );
  }
  const doc = parse(project.content) as { template?: { description?: unknown } };
  return { files, description: String(doc.template?.description ?? name) };
}

/** Pulumi project names allow `[A-Za-z0-9_.-]`; npm package names must be lower-case. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The project name: `--name` as given (validated), or the directory's base name made valid.
 * @throws Error naming the rule when `--name` is invalid.
 */
export function projectNameFrom(flag: string | undefined, dir: string): string {
  if (flag !== undefined) {
    if (!NAME.test(flag)) {
      throw new Error(
        `--name "${flag}" is not a valid project name: use lower-case letters, digits, ".", "_" and "-", ` +
          'starting with a letter or digit (at most 100 characters).',
      );
    }
    return flag;
  }
  const derived = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100);
  if (!NAME.test(derived)) {
    throw new Error(`cannot derive a project name from the directory "${dir}": pass --name.`);
  }
  return derived;
}
