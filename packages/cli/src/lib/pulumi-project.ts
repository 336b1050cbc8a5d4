import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EXIT, UserError } from './exit.js';
import { readInputText, readInputTextSync } from './files.js';

/** A Pulumi project found on disk and what is needed to run its program under mocks. */
export interface PulumiProject {
  dir: string;
  name: string;
  /** The program's entry file. */
  program: string;
  stack: string;
  /** `project:key` → value, as `pulumi.Config` reads it. */
  config: Record<string, string>;
  /** Config keys whose values are encrypted and so were left out. */
  skippedSecrets: string[];
}

/** True when `dir` holds a `Pulumi.yaml` (or `Pulumi.yml`). */
export function isPulumiProject(dir: string): boolean {
  return existsSync(path.join(dir, 'Pulumi.yaml')) || existsSync(path.join(dir, 'Pulumi.yml'));
}

/**
 * Reads `Pulumi.yaml` and the stack's `Pulumi.<stack>.yaml`: the runtime must be nodejs; the
 * program is `main` (a file or directory), else package.json's `main`, else `index.ts`/`index.js`;
 * the stack is `stack`, else the only (or alphabetically first) stack file; config combines the
 * project's `config:` defaults with the stack's values, keys namespaced `project:key`.
 */
export async function readPulumiProject(projectDir: string, stack?: string): Promise<PulumiProject> {
  // Absolute: the program path is handed to `require`, which reads a relative one as a package.
  const dir = path.resolve(projectDir);
  const projectFile = existsSync(path.join(dir, 'Pulumi.yaml'))
    ? path.join(dir, 'Pulumi.yaml')
    : path.join(dir, 'Pulumi.yml');
  const project = asObject(
    yamlOf(await readInputText(projectFile, 'Pulumi project file'), projectFile),
    projectFile,
  );
  const name = project.name;
  if (typeof name !== 'string' || name === '') {
    throw new UserError(`${projectFile}: name must be the project's name`, EXIT.usage);
  }
  const runtime =
    typeof project.runtime === 'object' && project.runtime
      ? (project.runtime as { name?: unknown }).name
      : project.runtime;
  if (runtime !== 'nodejs') {
    throw new UserError(
      `${projectFile}: runtime is ${JSON.stringify(runtime ?? null)}; bulkhead validate runs nodejs (TypeScript/JavaScript) programs only`,
      EXIT.usage,
      ['for other languages, validate `pulumi preview --json` or `pulumi stack export` output instead'],
    );
  }
  const program = resolveProgram(dir, typeof project.main === 'string' ? project.main : undefined);
  const config: Record<string, string> = {};
  const skippedSecrets: string[] = [];
  const key = (k: string) => (k.includes(':') ? k : `${name}:${k}`);
  const projectConfig = project.config;
  if (projectConfig && typeof projectConfig === 'object' && !Array.isArray(projectConfig)) {
    for (const [k, v] of Object.entries(projectConfig as Record<string, unknown>)) {
      const value =
        v && typeof v === 'object' && !Array.isArray(v) && ('default' in v || 'type' in v)
          ? (v as { default?: unknown }).default
          : v;
      if (value !== undefined) config[key(k)] = configString(value);
    }
  }
  const stackName = stack ?? (await defaultStack(dir));
  if (stackName) {
    const stackFile = ['yaml', 'yml'].map((e) => path.join(dir, `Pulumi.${stackName}.${e}`)).find(existsSync);
    if (!stackFile) {
      if (stack) {
        throw new UserError(`no stack file Pulumi.${stack}.yaml in ${dir}`, EXIT.usage, [
          `create it, or pick one of: ${(await stacks(dir)).join(', ') || '(none)'}`,
        ]);
      }
    } else {
      const doc = asObject(
        yamlOf(await readInputText(stackFile, 'stack config'), stackFile) ?? {},
        stackFile,
      );
      const values = doc.config;
      if (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values))) {
        throw new UserError(`${stackFile}: config must be a mapping of keys to values`, EXIT.usage);
      }
      for (const [k, v] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && 'secure' in v) {
          skippedSecrets.push(key(k));
          continue;
        }
        config[key(k)] = configString(v);
      }
    }
  }
  return { dir, name, program, stack: stackName ?? 'dev', config, skippedSecrets };
}

async function stacks(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir);
  return names
    .map((n) => /^Pulumi\.(.+)\.ya?ml$/.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

async function defaultStack(dir: string): Promise<string | undefined> {
  return (await stacks(dir))[0];
}

function resolveProgram(dir: string, main: string | undefined): string {
  const base = main ? path.resolve(dir, main) : dir;
  const candidates: string[] = [];
  if (main && existsSync(base) && statSync(base).isFile()) return base;
  const pkgFile = path.join(base, 'package.json');
  if (existsSync(pkgFile)) {
    try {
      const pkg = JSON.parse(readInputTextSync(pkgFile, 'package.json', 1024 * 1024)) as { main?: unknown };
      if (typeof pkg.main === 'string') candidates.push(path.resolve(base, pkg.main));
    } catch {
      // an unreadable package.json falls back to index.*
    }
  }
  candidates.push(path.join(base, 'index.ts'), path.join(base, 'index.js'));
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) {
    throw new UserError(`cannot find the Pulumi program in ${base}: no index.ts or index.js`, EXIT.usage, [
      'set `main:` in Pulumi.yaml to the program file',
    ]);
  }
  return found;
}

function yamlOf(text: string, file: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new UserError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, EXIT.usage);
  }
}

function asObject(v: unknown, file: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new UserError(`${file} must be a YAML mapping`, EXIT.usage);
  }
  return v as Record<string, unknown>;
}

function configString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
