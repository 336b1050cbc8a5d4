import * as http from 'node:http';
import * as path from 'node:path';
import { bulkhead, expectOneLineError, tempDir } from './support/cli';

/**
 * A fake Docker engine on a unix socket that answers, but trickles: one byte now and then, never
 * finishing. dockerode's idle timeout never fires against it; `audit` must still give up after
 * --timeout (a total deadline per call) with exit 3 and one line. The test's own process timeout
 * is what catches a hang.
 */

const tmp = tempDir('bulkhead-engine-');
let server: http.Server;
const timers = new Set<NodeJS.Timeout>();
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

/** Starts the fake engine: `stall` names the path that trickles (every other path answers). */
async function fakeEngine(stall: '/_ping' | '/containers/json'): Promise<string> {
  const socket = path.join(tmp.dir, `engine-${stall.replace(/\W/g, '')}.sock`);
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.includes(stall)) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const t = setInterval(() => res.write(' '), 200);
      timers.add(t);
      req.on('close', () => clearInterval(t));
      return;
    }
    if (url.includes('/_ping')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return socket;
}

describe('audit against an engine that trickles bytes', () => {
  it.each(['/containers/json', '/_ping'] as const)(
    'gives up on %s after --timeout with exit 3 and one line',
    async (stall) => {
      const socket = await fakeEngine(stall);
      const r = await bulkhead(['audit', '--timeout', '2s'], {
        env: { DOCKER_HOST: `unix://${socket}` },
        timeoutMs: 30_000,
      });
      await new Promise((res) => server.close(res));
      server.closeAllConnections();
      expect(r.code).toBe(3);
      expectOneLineError(r, /did not answer in time/);
    },
  );
});

/** A fake engine on a unix socket that answers `/_ping` and floods every other request. */
async function floodingEngine(name: string): Promise<string> {
  const socket = path.join(tmp.dir, `${name}.sock`);
  server = http.createServer((req, res) => {
    if ((req.url ?? '').includes('/_ping')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) {}
    };
    res.on('drain', pump);
    req.on('close', () => res.destroy());
    res.write('[');
    pump();
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return socket;
}

async function stopEngine(): Promise<void> {
  server.closeAllConnections();
  await new Promise((res) => server.close(res));
}

describe('audit against an engine that answers for ever', () => {
  it('stops reading after 64 MiB on one request: exit 3, one line', async () => {
    const socket = await floodingEngine('engine-flood');
    const r = await bulkhead(['audit', '--timeout', '60'], {
      env: { DOCKER_HOST: `unix://${socket}` },
      timeoutMs: 50_000,
    });
    await stopEngine();
    expect(r.code).toBe(3);
    expectOneLineError(r, /sent more than 64 MiB for one request; bulkhead stopped reading/);
  });

  it('caps each engine of a fleet the same way (--host): the engine is reported failed, exit 3', async () => {
    const socket = await floodingEngine('engine-flood-fleet');
    const r = await bulkhead(['audit', '--host', `unix://${socket}`, '--timeout', '60', '-f', 'json'], {
      timeoutMs: 50_000,
    });
    await stopEngine();
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { engines: { status: string; error: string | null }[] };
    expect(doc.engines).toHaveLength(1);
    expect(doc.engines[0]!.status).toBe('failed');
    expect(doc.engines[0]!.error).toMatch(/sent more than 64 MiB for one request; bulkhead stopped reading/);
  });
});
