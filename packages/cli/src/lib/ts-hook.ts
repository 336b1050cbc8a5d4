import { readFileSync } from 'node:fs';
import Module from 'node:module';
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
    (module as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
  };
  for (const ext of ['.ts', '.cts', '.mts']) extensions[ext] = load;
  installed = transpile.name;
  return installed;
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
