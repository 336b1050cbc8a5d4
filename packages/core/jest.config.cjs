const fs = require('node:fs');
const path = require('node:path');

// Stryker runs the tests from a sandbox copy under .stryker-tmp: look upwards for the repo preset.
let dir = __dirname;
while (!fs.existsSync(path.join(dir, 'jest.preset.cjs')) && path.dirname(dir) !== dir)
  dir = path.dirname(dir);
module.exports = require(path.join(dir, 'jest.preset.cjs'))(__dirname, { engineTests: true });
