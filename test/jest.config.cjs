module.exports = require('../jest.preset.cjs')(__dirname, {
  engineTests: true,
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
});
