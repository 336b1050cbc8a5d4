import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('README command reference', () => {
  it('matches the built commands (regenerate with `npm run readme -w @bulkhead/cli`)', () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'readme.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
