/**
 * `audit --host tcp://…` against an engine that speaks TLS and requires a client certificate, as a
 * dockerd started with `--tlsverify` does: the fake engine serves HTTPS with certificates made here
 * by openssl, and the built binary reads its TLS material the way the Docker CLI does
 * (DOCKER_TLS_VERIFY and DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bulkhead, tempDir } from './support/cli.js';

const { startFakeEngine } = require('./fake-engine/server.cjs') as {
  startFakeEngine: (o: {
    name?: string;
    containers?: number;
    tls?: { key: string; cert: string; ca: string };
  }) => Promise<{ url: string; close: () => Promise<void> }>;
};

jest.setTimeout(60_000);

const tmp = tempDir('bulkhead-tls-');
afterAll(() => tmp.cleanup());

/** A CA, and a certificate it signs for `cn` with the given extensions; PEM files in `dir`. */
function pki(dir: string, name: string): { ca: string; caKey: string } {
  mkdirSync(dir, { recursive: true });
  const ca = path.join(dir, `${name}-ca.pem`);
  const caKey = path.join(dir, `${name}-ca-key.pem`);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '2',
    '-subj',
    `/CN=${name}-ca`,
  ]);
  return { ca, caKey };
}

function signed(dir: string, authority: { ca: string; caKey: string }, file: string, ext: string): void {
  const key = path.join(dir, `${file}-key.pem`);
  const csr = path.join(dir, `${file}.csr`);
  const extFile = path.join(dir, `${file}.ext`);
  writeFileSync(extFile, `${ext}\n`);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${file}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    authority.ca,
    '-CAkey',
    authority.caKey,
    '-CAcreateserial',
    '-out',
    path.join(dir, `${file}.pem`),
    '-days',
    '2',
    '-extfile',
    extFile,
  ]);
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

interface FleetJson {
  engines: { status: string; error: string | null; summary?: { containers: number } }[];
}

describe('audit of an engine that requires TLS client certificates', () => {
  let engine: { url: string; close: () => Promise<void> };
  const server = path.join(tmp.dir, 'server');
  const client = path.join(tmp.dir, 'client');
  const stranger = path.join(tmp.dir, 'stranger');

  beforeAll(async () => {
    const authority = pki(server, 'engine');
    signed(server, authority, 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
    signed(server, authority, 'client', 'extendedKeyUsage=clientAuth');
    // DOCKER_CERT_PATH layout: ca.pem, cert.pem, key.pem.
    mkdirSync(client);
    writeFileSync(path.join(client, 'ca.pem'), readFileSync(authority.ca));
    writeFileSync(path.join(client, 'cert.pem'), readFileSync(path.join(server, 'client.pem')));
    writeFileSync(path.join(client, 'key.pem'), readFileSync(path.join(server, 'client-key.pem')));
    // The same, but trusting another CA: the engine's certificate must not be accepted.
    const other = pki(stranger, 'other');
    writeFileSync(path.join(stranger, 'ca.pem'), readFileSync(other.ca));
    writeFileSync(path.join(stranger, 'cert.pem'), readFileSync(path.join(server, 'client.pem')));
    writeFileSync(path.join(stranger, 'key.pem'), readFileSync(path.join(server, 'client-key.pem')));
    engine = await startFakeEngine({
      name: 'secure',
      containers: 2,
      tls: {
        key: readFileSync(path.join(server, 'server-key.pem'), 'utf8'),
        cert: readFileSync(path.join(server, 'server.pem'), 'utf8'),
        ca: readFileSync(authority.ca, 'utf8'),
      },
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  const audit = (certPath: string) =>
    bulkhead(['audit', '--host', engine.url, '--timeout', '10s', '-f', 'json', '--fail-on', 'none'], {
      env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath },
    });

  it('audits it with the CA and client certificate from DOCKER_CERT_PATH', async () => {
    const r = await audit(client);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as FleetJson;
    expect(doc.engines).toHaveLength(1);
    expect(doc.engines[0]).toMatchObject({ status: 'audited', error: null, summary: { containers: 2 } });
  });

  it('refuses an engine whose certificate another CA signed (exit 3, the engine failed)', async () => {
    const r = await audit(stranger);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as FleetJson;
    expect(doc.engines[0]!.status).toBe('failed');
    expect(doc.engines[0]!.error).toMatch(/certificate/i);
    expect(doc.engines[0]!.error).not.toContain('\n');
  });

  it('is refused by the engine without a client certificate (hosts file with tls.ca only: exit 3)', async () => {
    const hosts = path.join(tmp.dir, 'hosts.yaml');
    writeFileSync(
      hosts,
      `- host: ${engine.url}\n  tls: { ca: ${JSON.stringify(path.join(client, 'ca.pem'))} }\n`,
    );
    const r = await bulkhead(['audit', '--hosts-file', hosts, '--timeout', '10s', '-f', 'json'], {
      env: { DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined },
    });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as FleetJson;
    expect(doc.engines[0]!.status).toBe('failed');
    expect(doc.engines[0]!.error).toMatch(
      /^the Docker engine at tcp:\/\/127\.0\.0\.1:\d+ failed: .*certificate required/,
    );
  });
});
