// Shared jest settings: swc for speed, `.js` import suffixes mapped back to TypeScript sources,
// workspace packages resolved to their sources so unit tests need no build.
const path = require('node:path');

/**
 * @param {string} dir the package directory (pass __dirname)
 * @param {{ engineTests?: boolean } & import('jest').Config} options `engineTests: true` for a package
 *   with Docker-engine tests: scripts/engine-gate.mjs decides once per run whether they run.
 */
module.exports = function preset(dir, { engineTests = false, ...overrides } = {}) {
  const root = __dirname;
  return {
    ...(engineTests ? { globalSetup: path.join(root, 'scripts/engine-gate.mjs') } : {}),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    // Build output (the CLI's derived templates carry package.json files) and Stryker's sandbox.
    modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.stryker-tmp/'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    moduleNameMapper: {
      '^@bulkhead/core$': path.join(root, 'packages/core/src/index.ts'),
      '^@bulkhead/core/schemas$': path.join(root, 'packages/core/src/schemas.ts'),
      '^@bulkhead/core/testing$': path.join(root, 'packages/core/src/testing/index.ts'),
      '^@bulkhead/components$': path.join(root, 'packages/components/src/index.ts'),
      '^@bulkhead/components/program$': path.join(root, 'packages/components/src/program/index.ts'),
      '^@bulkhead/components/testkit$': path.join(root, 'packages/components/src/testkit/index.ts'),
      '^@bulkhead/policy-harness$': path.join(root, 'packages/policy-harness/src/index.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    ...overrides,
  };
};
