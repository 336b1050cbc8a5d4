import { readFileSync } from 'node:fs';
import Module from 'node:module';

let installed = false;

/**
 * Lets `require` load TypeScript: each `.ts`/`.cts`/`.mts` file is transpiled on load with
 * `typescript.transpileModule` (syntax only, no type check) to CommonJS. Used to run a Pulumi
 * program under mocks without the Pulumi CLI. `typescript` is loaded only when this is called.
 */
export function installTypeScriptHook(): void {
  if (installed) return;
  installed = true;
  // Loaded lazily: typescript is a large module that other commands must not pay for.
  const ts = require('typescript') as typeof import('typescript');
  const compilerOptions: import('typescript').CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    inlineSourceMap: true,
    experimentalDecorators: true,
  };
  const extensions = (
    Module as unknown as { _extensions: Record<string, (m: NodeModule, f: string) => void> }
  )._extensions;
  const load = (module: NodeModule, filename: string) => {
    const source = readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    (module as unknown as { _compile(code: string, file: string): void })._compile(outputText, filename);
  };
  for (const ext of ['.ts', '.cts', '.mts']) extensions[ext] = load;
}
