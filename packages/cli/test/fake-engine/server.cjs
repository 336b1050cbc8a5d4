// A fake Docker Engine API on loopback: answers the read-only calls `bulkhead audit` makes
// (/_ping, /version, /info, /containers/json, /containers/{id}/json, /networks/{id}) from what the
// real engine answered (fixture.json, recorded by scripts/record-engine-fixture.mjs). It can also
// be dead (the port refuses), hanging (connections accepted, never answered) or answer garbage.
// Plain CommonJS so that tests (jest) and the benchmark (bench/fleet.mjs) share it.
'use strict';
const http = require('node:http');
const https = require('node:https');
const { createHash } = require('node:crypto');
const fixture = require('./fixture.json');

/** A container id that differs per engine and index (64 hex digits, as the engine's). */
const idFor = (engine, i) => createHash('sha256').update(`${engine}/${i}`).digest('hex');

/**
 * The inspects a fake engine called `name` holds: `count` containers cycling through the
 * recorded ones, renamed `<name>-c<i>` and given their own ids; all on the recorded network.
 */
function containersFor(name, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const base = fixture.containers[i % fixture.containers.length];
    const c = JSON.parse(JSON.stringify(base));
    c.Id = idFor(name, i);
    c.Name = `/${name}-c${i}`;
    out.push(c);
  }
  return out;
}

/**
 * Starts a fake engine on 127.0.0.1 (a free port). `mode`: `ok` (default), `dead`, `hang`, or
 * `garbage` (the container list is not a list). `tls` (`{ key, cert, ca }`, PEM): serve HTTPS and
 * require a client certificate signed by `ca`, as a dockerd with `--tlsverify` does. Resolves to
 * `{ url, port, close() }`.
 */
async function startFakeEngine({ name = 'fake', containers = 2, mode = 'ok', tls } = {}) {
  const all = containersFor(name, containers);
  const byId = new Map(all.map((c) => [c.Id, c]));
  const network = fixture.network;
  const sockets = new Set();
  const handler = (req, res) => {
    if (mode === 'hang') return; // never answers
    const url = new URL(req.url, 'http://engine');
    const p = url.pathname.replace(/^\/v1\.\d+/, '');
    const json = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { message: 'read-only fake engine' });
    if (p === '/_ping') {
      res.writeHead(200, { 'content-type': 'text/plain', 'api-version': fixture.version.ApiVersion });
      return res.end('OK');
    }
    if (p === '/version') return json(200, fixture.version);
    if (p === '/info') return json(200, { ...fixture.info, Name: name, Containers: all.length });
    if (p === '/containers/json') {
      if (mode === 'garbage') return json(200, { not: 'a list' });
      const filters = JSON.parse(url.searchParams.get('filters') || '{}');
      const names = filters.name || [];
      const list = all
        .filter((c) => names.length === 0 || names.some((n) => c.Name.includes(n)))
        .map((c) => ({
          Id: c.Id,
          Names: [c.Name],
          Image: c.Config.Image,
          State: c.State.Status,
          Labels: c.Config.Labels,
        }));
      return json(200, list);
    }
    let m = /^\/containers\/([^/]+)\/json$/.exec(p);
    if (m) {
      const c = byId.get(m[1]);
      return c ? json(200, c) : json(404, { message: `No such container: ${m[1]}` });
    }
    m = /^\/networks\/([^/]+)$/.exec(p);
    if (m) {
      const id = decodeURIComponent(m[1]);
      return id === network.Name || id === network.Id
        ? json(200, network)
        : json(404, { message: 'network not found' });
    }
    return json(404, { message: `page not found: ${p}` });
  };
  const server = tls
    ? https.createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handler)
    : http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  // Dead: the port was ours a moment ago and now refuses (nothing listens on it).
  if (mode === 'dead') await close();
  return { name, url: `tcp://127.0.0.1:${port}`, port, close };
}

module.exports = { startFakeEngine, containersFor, fixture };
