import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest directory at or above `from` holding the package.json of `@bulkhead/cli`. Code
 * that finds files by their place in the package must start here, not at its own `__dirname`:
 * that is `src/x` in tests, `dist/x` in the compiled files and `dist` in the bundle the binary
 * runs (dist/bulkhead.js).
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === '@bulkhead/cli') return dir;
    } catch {
      // No (readable) package.json here: keep going up.
    }
    if (path.dirname(dir) === dir) throw new Error(`@bulkhead/cli: no package.json above ${from}`);
  }
}

/** This CLI package's directory (see {@link packageRoot}). */
export const PACKAGE_ROOT = packageRoot(__dirname);
