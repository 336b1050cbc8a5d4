import path from 'node:path';
import { EXIT, UserError } from '../lib/exit.js';
import { PACKAGE_ROOT } from '../lib/package-root.js';
import { oneLine, type TemplateFile } from './templates.js';

/**
 * Where the generated files are placed, in memory only, for the check: inside the CLI's package,
 * so `@bulkhead/components`, `@pulumi/pulumi` and `@pulumi/docker` resolve to the very packages
 * the CLI was built and tested with.
 */
const CHECK_ROOT = path.join(PACKAGE_ROOT, '.bulkhead-init-check');

/** Parsed declaration files of installed packages, shared by the checks of one process. */
const libraryFiles = new Map<string, import('typescript').SourceFile>();

/** Files the check compiles (the program; its test needs jest's types, which a CLI install lacks). */
const ROOTS = ['index.ts'];

/**
 * Type-checks a generated project's program in-process with the TypeScript compiler API, under
 * the project's own tsconfig (strict), against the types of the packages it imports. Nothing is
 * written to disk.
 * @returns one line per problem, `index.ts:line:col: message`; empty when the program is valid.
 * @throws {@link UserError} (exit 3) when the TypeScript compiler cannot be loaded.
 */
export async function typeCheckProject(files: readonly TemplateFile[]): Promise<string[]> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new UserError(
      'cannot type-check the generated program: the typescript package cannot be loaded',
      EXIT.environment,
      ['reinstall @bulkhead/cli (typescript is one of its dependencies)'],
    );
  }
  const virtual = new Map(files.map((f) => [path.join(CHECK_ROOT, f.path), f.content]));
  const tsconfig = files.find((f) => f.path === 'tsconfig.json');
  const raw = tsconfig ? (JSON.parse(tsconfig.content) as { compilerOptions?: Record<string, unknown> }) : {};
  const { options } = ts.convertCompilerOptionsFromJson(raw.compilerOptions ?? {}, CHECK_ROOT);
  options.noEmit = true;
  options.skipLibCheck = true;
  options.declaration = false;
  options.sourceMap = false;
  options.inlineSourceMap = false;
  options.inlineSources = false;
  options.declarationMap = false;
  options.incremental = false;
  // The program's own types only: jest's are for the tests, which are not checked here.
  options.types = options.types?.filter((t) => t !== 'jest') ?? ['node'];
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = virtual.get(path.resolve(f));
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    // Declaration files of installed packages do not change while the process runs: parse once.
    const id = `${typeof lang === 'object' ? JSON.stringify(lang) : lang} ${f}`;
    let cached = libraryFiles.get(id);
    if (!cached) {
      cached = getSourceFile.call(host, f, lang, onError, create);
      if (cached && f.includes(`${path.sep}node_modules${path.sep}`)) libraryFiles.set(id, cached);
    }
    return cached;
  };
  host.writeFile = () => {};
  // Type roots and relative lookups start at the project, not at the shell's working directory.
  host.getCurrentDirectory = () => CHECK_ROOT;
  const program = ts.createProgram({
    rootNames: ROOTS.map((r) => path.join(CHECK_ROOT, r)),
    options,
    host,
  });
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  return diagnostics.map((d) => {
    const message = oneLine(ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0] ?? '');
    if (!d.file || d.start === undefined) return `tsconfig.json: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const where = path.relative(CHECK_ROOT, d.file.fileName).split(path.sep).join('/');
    return `${where}:${line + 1}:${character + 1}: ${message}`;
  });
}
