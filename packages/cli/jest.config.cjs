// CLI tests spawn the built binary (about 0.3-1 s each on a shared 2-core machine): allow time.
module.exports = require('../../jest.preset.cjs')(__dirname, {
  engineTests: true,
  testTimeout: 60_000,
  testPathIgnorePatterns: ['/node_modules/', '/\\.tmp-'],
});
