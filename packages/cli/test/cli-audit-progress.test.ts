/**
 * On a terminal, `audit` over several engines shows how many are done and how many failed. The
 * binary runs under a pseudo-terminal (util-linux `script`), so its standard error is a TTY as in
 * an interactive shell; the report goes to a file.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BIN, tempDir } from './support/cli.js';

const { startFakeEngine } = require('./fake-engine/server.cjs') as {
  startFakeEngine: (o: { name?: string; containers?: number; mode?: string }) => Promise<{
    url: string;
    close: () => Promise<void>;
  }>;
};

jest.setTimeout(60_000);

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

describe('audit over several engines on a terminal', () => {
  const engines: { url: string; close: () => Promise<void> }[] = [];
  const tmp = tempDir('bulkhead-progress-');
  beforeAll(async () => {
    engines.push(await startFakeEngine({ name: 'one', containers: 2 }));
    engines.push(await startFakeEngine({ name: 'two', containers: 1 }));
    engines.push(await startFakeEngine({ name: 'gone', mode: 'dead' }));
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    tmp.cleanup();
  });

  it('shows engines done and failed, and writes the report to the file', async () => {
    const out = path.join(tmp.dir, 'fleet.json');
    const argv = [
      process.execPath,
      BIN,
      'audit',
      ...engines.flatMap((e) => ['--host', e.url]),
      '--timeout',
      '5s',
      '-f',
      'json',
      '-o',
      out,
    ];
    // Asynchronous: the fake engines answer from this process.
    const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn('script', ['-qec', argv.map(quote).join(' '), '/dev/null'], {
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString('utf8');
      });
      child.on('close', (status) => resolve({ status, stdout }));
    });
    const screen = r.stdout.replace(ANSI, '').replaceAll('\r', '\n');
    expect(screen).toContain('Auditing 3 engines');
    expect(screen).toContain('3/3 done, 1 failed');
    expect(screen).toContain('1 of 3 engines could not be audited');
    expect(r.status).toBe(4);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { engines: { status: string }[] };
    expect(doc.engines.map((e) => e.status).sort()).toEqual(['audited', 'audited', 'failed']);
  });
});
