import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dockerOptions, knownHostKeys } from '../src/lib/fleet/connect';
import { contextTarget, parseEngineUrl } from '../src/lib/fleet/targets';
import { tempDir } from './support/cli';

describe('engine targets: addresses, the Docker context store, known_hosts', () => {
  let tmp: { dir: string; cleanup: () => void };
  const saved = process.env.DOCKER_CONFIG;
  beforeAll(() => {
    tmp = tempDir();
    process.env.DOCKER_CONFIG = tmp.dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    tmp.cleanup();
  });

  const context = (name: string, endpoint: Record<string, unknown>, tls?: Record<string, string>) => {
    const id = createHash('sha256').update(name).digest('hex');
    mkdirSync(path.join(tmp.dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      path.join(tmp.dir, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: endpoint } }),
    );
    if (tls) {
      const dir = path.join(tmp.dir, 'contexts', 'tls', id, 'docker');
      mkdirSync(dir, { recursive: true });
      for (const [k, v] of Object.entries(tls)) writeFileSync(path.join(dir, `${k}.pem`), v);
    }
  };

  it('reads a context with its TLS files, and connects over https with them', async () => {
    context(
      'prod',
      { Host: 'tcp://10.0.0.5:2376', SkipTLSVerify: false },
      { ca: 'CA', cert: 'CERT', key: 'KEY' },
    );
    const t = contextTarget('prod');
    expect(t).toMatchObject({ name: 'prod', url: 'tcp://10.0.0.5:2376', where: '--context prod' });
    const o = (await dockerOptions(t, 1000)) as Record<string, unknown>;
    expect(o).toMatchObject({ protocol: 'https', host: '10.0.0.5', port: '2376', socketPath: undefined });
    expect(String(o.ca)).toBe('CA');
  });

  it('refuses a context that skips TLS verification, and TLS without a CA', async () => {
    context('lax', { Host: 'tcp://10.0.0.6:2376', SkipTLSVerify: true });
    expect(() => contextTarget('lax')).toThrow(/skips TLS verification/);
    context('noca', { Host: 'tcp://10.0.0.7:2376' }, { cert: 'CERT', key: 'KEY' });
    await expect(dockerOptions(contextTarget('noca'), 1000)).rejects.toThrow(/TLS without a CA/);
  });

  it('never opens a FIFO or device in the context store: meta.json is read bounded, TLS files only named', async () => {
    const id = createHash('sha256').update('odd').digest('hex');
    const meta = path.join(tmp.dir, 'contexts', 'meta', id, 'meta.json');
    const ca = path.join(tmp.dir, 'contexts', 'tls', id, 'docker', 'ca.pem');
    const swap = (make: () => void) => {
      rmSync(meta, { force: true });
      make();
    };
    context('odd', { Host: 'tcp://10.0.0.8:2376' }, { cert: 'CERT', key: 'KEY' });
    // Each of these blocked forever (FIFO) or read without end (/dev/zero) before.
    swap(() => execFileSync('mkfifo', [meta]));
    expect(() => contextTarget('odd')).toThrow(/^cannot read --context odd: context metadata .*: is a FIFO/);
    swap(() => symlinkSync('/dev/zero', meta));
    expect(() => contextTarget('odd')).toThrow(/is a character device; bulkhead reads regular files only/);
    swap(() => writeFileSync(meta, '{"Endpoints": '));
    expect(() => contextTarget('odd')).toThrow(/^--context odd: .*meta\.json is not valid JSON: /);
    swap(() =>
      writeFileSync(meta, JSON.stringify({ Endpoints: { docker: { Host: 'tcp://10.0.0.8:2376' } } })),
    );
    execFileSync('mkfifo', [ca]);
    const t = contextTarget('odd');
    expect(t.tls?.ca).toBe(ca);
    await expect(dockerOptions(t, 1000)).rejects.toThrow(/TLS CA .*ca\.pem: is a FIFO/);
  });

  it('sets every address key for a socket, so a DOCKER_HOST in the environment cannot win', async () => {
    const o = (await dockerOptions(
      { name: 's', url: 'unix:///run/x.sock', where: '--host' },
      1000,
    )) as Record<string, unknown>;
    expect(o).toMatchObject({
      socketPath: '/run/x.sock',
      host: undefined,
      port: undefined,
      protocol: undefined,
    });
  });

  it('refuses addresses that are not engine addresses, naming where they came from', () => {
    for (const bad of ['http://x:1', 'tcp://x', 'unix://relative.sock', 'ssh://u:pw@h']) {
      expect(() => parseEngineUrl(bad, 'hosts.yaml: hosts[2]')).toThrow(/^hosts\.yaml: hosts\[2\]/);
    }
  });

  it('takes host keys from plain and hashed known_hosts lines for [host]:port, and none of another host', async () => {
    const key = path.join(tmp.dir, 'hostkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const [type, blob] = readFileSync(`${key}.pub`, 'utf8').split(' ');
    const known = path.join(tmp.dir, 'known_hosts');
    writeFileSync(known, `[127.0.0.1]:2222 ${type} ${blob}\nother.example ${type} AAAAother\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', known]);
    expect(readFileSync(known, 'utf8')).toMatch(/^\|1\|/);
    const target = { name: 'x', url: 'ssh://u@127.0.0.1:2222', where: 'test', knownHosts: known };
    expect([...(await knownHostKeys(target, '127.0.0.1', 2222))]).toEqual([blob]);
    await expect(knownHostKeys(target, '127.0.0.1', 22)).rejects.toThrow(/127\.0\.0\.1 is not in/);
  });
});
