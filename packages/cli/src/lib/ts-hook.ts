import { readFileSync } from 'node:fs';
import Module, { SourceMap } from 'node:module';
import { EXIT, UserError } from './exit.js';

/** Which transpiler the hook uses. */
export type Transpiler = 'swc' | 'typescript';

let installed: Transpiler | undefined;

/**
 * Lets `require` load TypeScript, to run a Pulumi program under mocks without the Pulumi CLI:
 * each `.ts`/`.cts`/`.mts` file is transpiled on load to CommonJS (syntax only, no type check).
 *
 * `@swc/core` is used when it loads (about 0.05-0.2 s to load and a few ms per file here);
 * otherwise `typescript.transpileModule` from the CLI or the project (about 2 s to load and 1 s
 * for the first file on the same machine). `BULKHEAD_TS_TRANSPILER=typescript|swc` forces one.
 * Nothing is loaded until a Pulumi project is validated.
 * @throws {@link UserError} (exit 3) when neither is installed.
 */
export function installTypeScriptHook(projectDir: string): Transpiler {
  if (installed) return installed;
  const forced = process.env.BULKHEAD_TS_TRANSPILER;
  const transpile = (forced !== 'typescript' && trySwc()) || (forced !== 'swc' && tryTypeScript(projectDir));
  if (!transpile) {
    throw new UserError(
      'cannot run a TypeScript Pulumi program: neither @swc/core nor typescript can be loaded',
      EXIT.environment,
      ['install one of them next to the project: npm install -D typescript'],
    );
  }
  const extensions = (
    Module as unknown as { _extensions: Record<string, (m: NodeModule, f: string) => void> }
  )._extensions;
  const load = (module: NodeModule, filename: string) => {
    const code = transpile.fn(readFileSync(filename, 'utf8'), filename);
    const map = INLINE_MAP.exec(code.slice(-MAX_MAP_TAIL))?.[1];
    if (map !== undefined) maps.set(filename, map);
    (module as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
  };
  for (const ext of ['.ts', '.cts', '.mts']) extensions[ext] = load;
  installed = transpile.name;
  return installed;
}

/** The inline source map both transpilers append (base64 JSON). */
const INLINE_MAP =
  /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;
/** How much of a transpiled file's end is searched for its map (maps of large files are large). */
const MAX_MAP_TAIL = 8 * 1024 * 1024;

/** Inline maps of the files transpiled so far (base64, parsed on first use). */
const maps = new Map<string, string | SourceMap>();

/**
 * The TypeScript position of a position in a file this hook transpiled (1-based line and column);
 * other positions come back unchanged.
 */
export function sourcePosition<T extends { file: string; line: number; column: number }>(pos: T): T {
  let map = maps.get(pos.file);
  if (map === undefined) return pos;
  if (typeof map === 'string') {
    try {
      map = new SourceMap(JSON.parse(Buffer.from(map, 'base64').toString('utf8')));
    } catch {
      maps.delete(pos.file);
      return pos;
    }
    maps.set(pos.file, map);
  }
  const entry = map.findEntry(pos.line - 1, Math.max(0, pos.column - 1)) as {
    originalLine?: number;
    originalColumn?: number;
  };
  if (typeof entry.originalLine !== 'number') return pos;
  return { ...pos, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

interface Loaded {
  name: Transpiler;
  fn: (source: string, filename: string) => string;
}

function trySwc(): Loaded | undefined {
  let swc: typeof import('@swc/core');
  try {
    swc = require('@swc/core') as typeof import('@swc/core');
  } catch {
    return undefined;
  }
  return {
    name: 'swc',
    fn: (source, filename) =>
      swc.transformSync(source, {
        filename,
        sourceMaps: 'inline',
        swcrc: false,
        configFile: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          target: 'es2022',
          transform: { legacyDecorator: true, decoratorMetadata: false },
        },
        module: { type: 'commonjs' },
      }).code,
  };
}

function tryTypeScript(projectDir: string): Loaded | undefined {
  let ts: typeof import('typescript');
  try {
    ts = require(
      require.resolve('typescript', { paths: [projectDir, __dirname] }),
    ) as typeof import('typescript');
  } catch {
    return undefined;
  }
  const compilerOptions: import('typescript').CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    inlineSourceMap: true,
    experimentalDecorators: true,
  };
  return {
    name: 'typescript',
    fn: (source, fileName) => ts.transpileModule(source, { compilerOptions, fileName }).outputText,
  };
}
