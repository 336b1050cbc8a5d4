import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError, nodeComposeFiles, parseInputFile } from '@bulkhead/core';
import { EXIT, UserError } from './exit.js';
import { noteInput, readInputText } from './files.js';
import { describeFsError } from './output.js';
import { isPulumiProject, readPulumiProject } from './pulumi-project.js';
import type { LoadedInput } from './report.js';

type MockRunOptions = import('@bulkhead/components/program').MockRunOptions;

/** Compose file names looked for in a directory, in docker compose's order. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The compose file Docker Compose reads in `dir` (the first of its names that exists), if any. */
export function composeFileIn(dir: string): string | undefined {
  return COMPOSE_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

/** Options of {@link loadInput}. */
export interface LoadOptions {
  /** Stack whose `Pulumi.<stack>.yaml` config a Pulumi program runs with. */
  stack?: string | undefined;
  /** Told about things worth a warning (encrypted config left out…). */
  warn?: (message: string) => void;
  /**
   * `--env-file` files for compose interpolation, read in order; when given they replace the
   * project's `.env`, as with `docker compose --env-file`.
   */
  envFiles?: readonly string[] | undefined;
}

/** Override files Docker Compose also reads next to a compose file when no `-f` is given. */
const OVERRIDE_FILES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

/**
 * Loads one `validate` argument: a Pulumi project directory (its program runs under mocks), a
 * directory with a compose file, or a file whose kind is detected from its content (compose,
 * `pulumi stack export`, `pulumi preview --json`, `docker inspect`).
 * @throws {@link UserError} (exit 2) when it cannot be read or understood.
 */
export async function loadInput(target: string, options: LoadOptions = {}): Promise<LoadedInput> {
  let isDir: boolean;
  try {
    isDir = (await fs.stat(target)).isDirectory();
  } catch (error) {
    throw new UserError(
      `cannot read ${target}: ${describeFsError((error as NodeJS.ErrnoException).code ?? 'error')}`,
      EXIT.usage,
    );
  }
  if (!isDir && /^Pulumi\.ya?ml$/.test(path.basename(target)))
    return loadProject(path.dirname(target), target, options);
  if (isDir) {
    if (isPulumiProject(target)) return loadProject(target, target, options);
    const compose = composeFileIn(target);
    if (!compose) {
      throw new UserError(`${target} holds neither a Pulumi.yaml nor a compose file`, EXIT.usage, [
        'pass a Pulumi project directory, a compose file, a stack export, preview JSON or docker inspect JSON',
      ]);
    }
    const override = OVERRIDE_FILES.map((f) => path.join(target, f)).find((f) => existsSync(f));
    if (override) {
      options.warn?.(
        `${override} is not read: Docker Compose merges it over ${path.basename(compose)} in this directory; ` +
          'pass it to validate as a file to check it',
      );
    }
    return loadFile(compose, options);
  }
  return loadFile(target, options);
}

async function loadFile(file: string, options: LoadOptions): Promise<LoadedInput> {
  const text = await readInputText(file);
  try {
    const { kind, resources } = parseInputFile(text, file, {
      compose: {
        environment: process.env,
        ...(options.envFiles && options.envFiles.length > 0 ? { envFiles: options.envFiles } : {}),
        readFile: nodeComposeFiles(),
        ...(options.warn ? { warn: options.warn } : {}),
      },
    });

    return { path: file, kind, resources };
  } catch (error) {
    if (error instanceof InputError || error instanceof UserError) throw error;
    throw new UserError(`${file}: ${(error as Error).message.split('\n')[0]}`, EXIT.usage);
  }
}

/**
 * Runs a Pulumi project's program under mocks and reads its resources; `program` runs another
 * file of the project in the program's place (`bulkhead fix` checks an edited copy that way).
 */
export async function loadProject(
  dir: string,
  shown: string,
  options: LoadOptions & { program?: string },
): Promise<LoadedInput> {
  const project = await readPulumiProject(dir, options.stack);
  if (options.program !== undefined) project.program = options.program;
  // Node loads the program itself; record it so --output cannot overwrite it.
  noteInput(project.program);
  for (const key of project.skippedSecrets) {
    options.warn?.(`${shown}: config ${key} is encrypted; the program runs without it`);
  }
  // Positions map back to TypeScript: through the hook's maps, or a compiled program's own.
  const { installTypeScriptHook, sourcePosition } = await import('./ts-hook.js');
  const mapLocation: MockRunOptions['mapLocation'] = sourcePosition;
  if (/\.[cm]?ts$/.test(project.program)) installTypeScriptHook(project.dir);
  // Loaded only for Pulumi projects: @pulumi/pulumi is heavy.
  const { resourceInput, runProgramUnderMocks } = await import('@bulkhead/components/program');
  const { fromPulumiResources } = await import('@bulkhead/core');
  let created: Awaited<ReturnType<typeof runProgramUnderMocks>>;
  try {
    created = await runProgramUnderMocks(project.program, {
      config: project.config,
      project: project.name,
      stack: project.stack,
      mapLocation,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `the Pulumi program ${path.relative(process.cwd(), project.program) || project.program} failed under mocks: ${message.split('\n')[0]}`,
      EXIT.usage,
      ['check that it runs with `pulumi preview`, and that its config is in Pulumi.<stack>.yaml'],
    );
  }
  const display = (f: string) => path.relative(process.cwd(), f) || f;
  const file = display(project.program);
  // Each resource at the program line that constructed it; without one, at the program file.
  const resources = fromPulumiResources(
    created.map((r) => {
      const input = resourceInput(r, (l) => display(l.file));
      if (!input.location) input.location = { file };
      return input;
    }),
  );
  return { path: shown, kind: 'pulumi', program: project.program, resources };
}
