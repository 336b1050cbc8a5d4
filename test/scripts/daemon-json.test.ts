/**
 * scripts/daemon-json.mjs, which engine-up.sh uses to add the runsc runtime to a machine's
 * /etc/docker/daemon.json: run as engine-up runs it, on throwaway files. It must keep every other
 * setting, never replace a file it cannot read, and leave an existing runsc entry alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/daemon-json.mjs');
const WRAPPER = '/usr/local/lib/bulkhead/runsc-nonet';
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-daemon-json-'));
  file = path.join(dir, 'daemon.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function merge(): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, file, 'runsc', WRAPPER], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

describe('daemon-json.mjs', () => {
  it('writes a config naming only the runsc runtime when there is no daemon.json', () => {
    expect(merge().status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ runtimes: { runsc: { path: WRAPPER } } });
  });

  it('adds runsc and keeps every other setting and runtime of an existing daemon.json, with a backup', () => {
    const original = {
      'data-root': '/srv/docker',
      'log-driver': 'journald',
      'registry-mirrors': ['https://mirror.example'],
      runtimes: { kata: { path: '/usr/bin/kata-runtime', runtimeArgs: ['--debug'] } },
    };
    const text = `${JSON.stringify(original)}\n`;
    writeFileSync(file, text);
    expect(merge().status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      ...original,
      runtimes: { ...original.runtimes, runsc: { path: WRAPPER } },
    });
    expect(readFileSync(`${file}.bulkhead-backup`, 'utf8')).toBe(text);
  });

  it('leaves a daemon.json that already has a runsc runtime byte for byte as it was', () => {
    const text = '{"runtimes":{"runsc":{"path":"/opt/gvisor/runsc"}},"debug":true}';
    writeFileSync(file, text);
    const r = merge();
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/already has a "runsc" runtime/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}.bulkhead-backup`)).toBe(false);
  });

  it.each([
    ['invalid JSON', '{ "debug": true, '],
    ['a JSON array', '[]'],
    ['runtimes that is not an object', '{"runtimes": ["runsc"]}'],
  ])('refuses %s with one line and leaves the file untouched', (_what, text) => {
    writeFileSync(file, text);
    const r = merge();
    expect(r.status).toBe(1);
    expect(r.out.split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/not changed/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
