import { readFileSync, statSync } from 'node:fs';
import Module, { SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
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
export function installTypeScriptHook(projectDir: string, what = 'a TypeScript Pulumi program'): Transpiler {
  if (installed) return installed;
  const forced = process.env.BULKHEAD_TS_TRANSPILER;
  const transpile = (forced !== 'typescript' && trySwc()) || (forced !== 'swc' && tryTypeScript(projectDir));
  if (!transpile) {
    throw new UserError(
      `cannot run ${what}: neither @swc/core nor typescript can be loaded`,
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

/** Source maps of JavaScript files compiled ahead (`tsc` output), `null` when a file has none. */
const compiled = new Map<string, { map: SourceMap; dir: string } | null>();

/** The last `sourceMappingURL` comment of a JavaScript file. */
const MAP_URL = /\/\/[#@] sourceMappingURL=(\S+)\s*$/;

function readBounded(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_MAP_TAIL) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The source map a compiled JavaScript file points at (inline or a `.map` file beside it). */
function compiledMap(file: string): { map: SourceMap; dir: string } | null {
  const known = compiled.get(file);
  if (known !== undefined) return known;
  let found: { map: SourceMap; dir: string } | null = null;
  const url = /\.[cm]?js$/.test(file) ? MAP_URL.exec(readBounded(file) ?? '')?.[1] : undefined;
  if (url !== undefined) {
    try {
      const inline = /^data:application\/json;(?:charset=utf-8;)?base64,(.+)$/.exec(url)?.[1];
      const mapFile = inline === undefined ? path.resolve(path.dirname(file), decodeURIComponent(url)) : file;
      const text =
        inline !== undefined ? Buffer.from(inline, 'base64').toString('utf8') : readBounded(mapFile);
      if (text !== undefined) found = { map: new SourceMap(JSON.parse(text)), dir: path.dirname(mapFile) };
    } catch {
      found = null;
    }
  }
  compiled.set(file, found);
  return found;
}

/**
 * The TypeScript position of a position in generated JavaScript (1-based line and column): files
 * this hook transpiled map within themselves; JavaScript compiled ahead with a source map (`tsc`
 * with `sourceMap` or `inlineSourceMap`) maps to the source file the map names. Other positions
 * come back unchanged.
 */
export function sourcePosition<T extends { file: string; line: number; column: number }>(pos: T): T {
  let map = maps.get(pos.file);
  let sourceFile: ((source: string) => string) | undefined;
  if (map === undefined) {
    const c = compiledMap(pos.file);
    if (c === null) return pos;
    map = c.map;
    const root = typeof map.payload.sourceRoot === 'string' ? map.payload.sourceRoot : '';
    sourceFile = (source) =>
      source.startsWith('file:') ? fileURLToPath(source) : path.resolve(c.dir, root, source);
  } else if (typeof map === 'string') {
    try {
      map = new SourceMap(JSON.parse(Buffer.from(map, 'base64').toString('utf8')));
    } catch {
      maps.delete(pos.file);
      return pos;
    }
    maps.set(pos.file, map);
  }
  const entry = map.findEntry(pos.line - 1, Math.max(0, pos.column - 1)) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (typeof entry.originalLine !== 'number') return pos;
  const out = { ...pos, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  if (sourceFile && typeof entry.originalSource === 'string') {
    try {
      out.file = sourceFile(entry.originalSource);
    } catch {
      return pos;
    }
  }
  return out;
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
