/**
 * Conformance of the compose LOADER (interpolation, extends, include, profiles, anchors) with
 * Docker Compose. Each directory under `loader/` holds a compose file we wrote and
 * `expected.json`: the normalized project we must produce (or the one-line error), and whether
 * Debian's `docker-compose` v1.29 (`docker-compose config`) can normalize the same file:
 *   "v1": "compare"   — v1 must produce the same normalized result (it is the reference);
 *   "v1": "error"     — v1 must refuse the file too;
 *   "v1": "skip: why" — v1 and the Compose Specification differ here; we follow the spec.
 * Without `docker-compose` on PATH the v1 comparisons are skipped, except under CI=true, where
 * they fail (the CI image installs it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ComposeLoadOptions, loadCompose } from '../../src/adapters/compose/load.js';
import type { LNode } from '../../src/adapters/compose/tree.js';
import { fromCompose, nodeComposeFiles } from '../../src/adapters/index.js';
import { InputError } from '../../src/index.js';
import { isUnknown } from '../../src/model/value.js';
import { composeConfig, composeV1 } from './compose-reference.js';

const ROOT = path.join(__dirname, 'loader');
const FIXTURES = readdirSync(ROOT).filter((d) => existsSync(path.join(ROOT, d, 'expected.json')));

interface Expected {
  environment?: Record<string, string>;
  v1: string;
  result?: { services: Record<string, Record<string, unknown>>; serviceCount?: number };
  error?: string;
  locations?: Record<string, string>;
}

const expectedOf = (name: string): Expected =>
  JSON.parse(readFileSync(path.join(ROOT, name, 'expected.json'), 'utf8')) as Expected;

/** Runs `fn` with the fixture directory as the working directory (paths in messages are relative). */
function inFixture<T>(name: string, fn: () => T): T {
  const cwd = process.cwd();
  process.chdir(path.join(ROOT, name));
  try {
    return fn();
  } finally {
    process.chdir(cwd);
  }
}

function options(e: Expected): ComposeLoadOptions {
  return { environment: e.environment ?? {}, readFile: nodeComposeFiles() };
}

/** Our loaded project, as plain data with unknown values written `<unknown: reason>`. */
function ours(name: string, e: Expected): Record<string, unknown> {
  return inFixture(name, () => {
    const text = readFileSync('compose.yaml', 'utf8');
    return plain(loadCompose(text, 'compose.yaml', options(e)).root) as Record<string, unknown>;
  });
}

function plain(n: LNode): unknown {
  if (n.kind === 'scalar') return isUnknown(n.value) ? `<unknown: ${n.reason}>` : n.value;
  if (n.kind === 'seq') return n.items.map(plain);
  return Object.fromEntries([...n.entries].map(([k, v]) => [k, plain(v.value)]));
}

/** Our error for a fixture that must be refused. */
function oursError(name: string, e: Expected): string {
  return inFixture(name, () => {
    try {
      loadCompose(readFileSync('compose.yaml', 'utf8'), 'compose.yaml', options(e));
    } catch (err) {
      if (err instanceof InputError) return err.message;
      throw err;
    }
    return '(no error)';
  });
}

// ---- normalization shared by our result and docker-compose's ----

const asMap = (v: unknown): Record<string, unknown> => {
  if (Array.isArray(v)) {
    return Object.fromEntries(
      v.map((s: string) =>
        s.includes('=') ? [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] : [s, null],
      ),
    );
  }
  return (v ?? {}) as Record<string, unknown>;
};

function port(p: unknown): string {
  if (typeof p === 'object' && p !== null) {
    const o = p as Record<string, unknown>;
    return `${o.host_ip ?? '0.0.0.0'}:${o.published ?? ''}:${o.target}/${o.protocol ?? 'tcp'}`;
  }
  const s = String(p);
  const [addr, proto = 'tcp'] = s.split('/');
  const parts = (addr as string).split(':');
  const target = parts.pop();
  const published = parts.pop() ?? '';
  const ip = parts.length > 0 ? parts.join(':') : '0.0.0.0';
  return `${ip}:${published}:${target}/${proto}`;
}

function volume(v: unknown, dir: string): unknown {
  if (typeof v !== 'string' || v.startsWith('<unknown')) return v;
  const parts = v.split(':');
  if (parts.length < 2) return v;
  let [source = ''] = parts;
  if (source.startsWith('/')) {
    const rel = path.relative(dir, source);
    source = rel.startsWith('..') ? source : `./${rel}`;
  }
  const mode = parts.slice(2).join(':');
  return [source, parts[1], ...(mode && mode !== 'rw' ? [mode] : [])].join(':');
}

const sorted = (v: unknown[]) => [...v].sort((a, b) => String(a).localeCompare(String(b)));

/** Per setting: one form for both sides. Lists that are sets to the engine are compared sorted. */
const NORMALIZE: Record<string, (v: unknown, dir: string) => unknown> = {
  environment: asMap,
  labels: asMap,
  ports: (v) => sorted((v as unknown[]).map(port)),
  volumes: (v, dir) => sorted((v as unknown[]).map((x) => volume(x, dir))),
  cap_add: (v) => sorted(v as unknown[]),
  cap_drop: (v) => sorted(v as unknown[]),
  depends_on: (v) => (Array.isArray(v) ? [...v] : Object.keys(v as object)).sort(),
  user: (v) => String(v),
  group_add: (v) => (v as unknown[]).map(String),
};

/** The services of a project, restricted to the settings `expected` names. */
function normalize(
  project: Record<string, unknown>,
  wanted: Expected['result'] & object,
  dir: string,
  fromV1: boolean,
): Record<string, Record<string, unknown>> {
  const services = (project.services ?? {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(services)) {
    const want = wanted.services[name];
    if (!want) {
      out[name] = { '(unexpected service)': true };
      continue;
    }
    const svc = services[name] ?? {};
    const norm: Record<string, unknown> = {};
    for (const key of Object.keys(want)) {
      let v = svc[key];
      if (fromV1) v = unescapeDollars(v);
      norm[key] = v === undefined ? undefined : (NORMALIZE[key] ?? ((x) => x))(v, dir);
    }
    out[name] = norm;
  }
  return out;
}

/** `docker-compose config` writes `$` as `$$` so its output can be read again. */
function unescapeDollars(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('$$', '$');
  if (Array.isArray(v)) return v.map(unescapeDollars);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k.replaceAll('$$', '$'), unescapeDollars(x)]),
    );
  }
  return v;
}

describe('compose loader conformance: our normalized result', () => {
  it.each(FIXTURES)('%s', (name) => {
    const e = expectedOf(name);
    const dir = path.join(ROOT, name);
    if (e.error !== undefined) {
      expect(oursError(name, e)).toBe(e.error);
      return;
    }
    const result = e.result as NonNullable<Expected['result']>;
    const got = ours(name, e);
    if (result.serviceCount !== undefined) {
      expect(Object.keys(got.services as object)).toHaveLength(result.serviceCount);
    }
    const norm = normalize(got, result, dir, false);
    for (const [svc, want] of Object.entries(result.services)) expect([svc, norm[svc]]).toEqual([svc, want]);
    for (const [field, where] of Object.entries(e.locations ?? {})) {
      const set = inFixture(name, () =>
        fromCompose(readFileSync('compose.yaml', 'utf8'), 'compose.yaml', options(e)),
      );
      const service = field.split('.')[1];
      const loc = set.containers.find((c) => c.source.name === service)?.source.locations?.get(field);
      expect(loc && `${loc.file}:${loc.line}`).toBe(where);
    }
  });
});

const haveV1 = 'version' in composeV1();
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const compared = FIXTURES.filter((f) => !expectedOf(f).v1.startsWith('skip'));

/** `docker-compose config` of a fixture, in a clean environment plus the fixture's variables. */
function v1(name: string, e: Expected): { ok: true; project: Record<string, unknown> } | { ok: false } {
  try {
    const out = composeConfig(path.join(ROOT, name, 'compose.yaml'), e.environment);
    const { parse } = require('yaml') as typeof import('yaml');
    return { ok: true, project: parse(out) as Record<string, unknown> };
  } catch {
    return { ok: false };
  }
}

describe('compose loader conformance: Docker Compose v1 (docker-compose config) as the reference', () => {
  if (!haveV1 && !inCi) {
    it.skip('skipped: docker-compose is not installed (apt-get install docker-compose); CI runs it', () => {});
    return;
  }
  it('docker-compose is installed (CI must run these comparisons)', () => {
    expect(haveV1).toBe(true);
  });
  it.each(compared)(
    '%s',
    (name) => {
      const e = expectedOf(name);
      const got = v1(name, e);
      if (e.v1 === 'error') {
        expect(got.ok).toBe(false);
        return;
      }
      expect(got.ok).toBe(true);
      if (!got.ok) return;
      const result = e.result as NonNullable<Expected['result']>;
      const norm = normalize(got.project, result, path.join(ROOT, name), true);
      for (const [svc, want] of Object.entries(result.services))
        expect([svc, norm[svc]]).toEqual([svc, want]);
    },
    90_000,
  );
});
