/**
 * The conformance suite's one helper: a fixture path in, our normalized reading of it and the
 * reading of what Docker Compose itself makes of it (`docker-compose config`, Debian's v1.29) out,
 * both as the same security-relevant view so a test compares them with one `toEqual`.
 *
 * Compose is the reference for the *forms*: it expands short syntax, merges, resolves relative
 * paths (and, for loader fixtures, interpolation and `extends`) and prints the canonical file; we
 * read that canonical file with the same adapter. Where our reading of the original differs from
 * our reading of compose's canonical output, we read a form differently from compose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type ComposeOptions, fromCompose } from '../../src/adapters/compose.js';
import { evaluate, InputError } from '../../src/index.js';
import type { ContainerSpec, NetworkSpec, ResourceSet } from '../../src/model/spec.js';

/** Every fixture is read as this project, so names do not depend on the checkout's directory. */
export const CONFORMANCE_PROJECT = 'conformance';
const OPTIONS: ComposeOptions = { projectName: CONFORMANCE_PROJECT, env: {} };
/** Bounds on running compose: it answers in well under a second without an engine. */
const COMPOSE_TIMEOUT_MS = 30_000;
const COMPOSE_MAX_OUTPUT = 8 * 1024 * 1024;

let v1: { version: string } | { missing: string } | undefined;

/** Whether Debian's `docker-compose` (v1) can be run here, and its version line. */
export function composeV1(): { version: string } | { missing: string } {
  if (v1 === undefined) {
    try {
      const out = execFileSync('docker-compose', ['version', '--short'], {
        encoding: 'utf8',
        timeout: COMPOSE_TIMEOUT_MS,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      v1 = { version: out.trim() };
    } catch (e) {
      v1 = { missing: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : 'does not run' };
    }
  }
  return v1;
}

/** Our normalized reading of a compose file, as the view the suite compares. */
export function ourView(fixture: string, options: ComposeOptions = OPTIONS): View {
  return view(fromCompose(readFileSync(fixture, 'utf8'), fixture, options), dirname(fixture));
}

/**
 * The canonical file Docker Compose (v1) prints for the fixture: `docker-compose config` run in a
 * clean environment (plus `environment`, the fixture's shell variables) on the fixture's directory.
 * @throws Error with compose's own message when compose refuses the file.
 */
export function composeConfig(fixture: string, environment: Readonly<Record<string, string>> = {}): string {
  const dir = dirname(fixture);
  try {
    return execFileSync('docker-compose', ['-f', fixture, '--project-directory', dir, 'config'], {
      encoding: 'utf8',
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...environment },
      timeout: COMPOSE_TIMEOUT_MS,
      maxBuffer: COMPOSE_MAX_OUTPUT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`docker-compose config refused ${fixture}: ${String(err.stderr ?? e).trim()}`);
  }
}

/** What Docker Compose (v1) makes of the fixture, read back with our adapter into the same view. */
export function composeView(fixture: string): View {
  return view(fromCompose(composeConfig(fixture), fixture, OPTIONS), dirname(fixture));
}

/** Both readings of one fixture, for `expect(r.ours).toEqual(r.compose)`. */
export function compareWithCompose(fixture: string): { ours: View; compose: View } {
  return { ours: ourView(fixture), compose: composeView(fixture) };
}

/** The security-relevant reading of a resource set, keyed by service and network name. */
export interface View {
  containers: Record<string, Record<string, unknown>>;
  networks: Record<string, Record<string, unknown>>;
}

/**
 * Spec fields without their source positions, in forms that do not depend on which of compose's
 * equivalent spellings the file used: relative bind sources resolved against the project
 * directory (compose prints them absolute), `rw` and an absent mode both read-write, an absent
 * protocol `tcp`, and lists whose order does not matter sorted.
 */
export function view(set: ResourceSet, projectDir: string): View {
  const containers: View['containers'] = {};
  for (const c of set.containers) containers[c.source.name] = containerView(c, projectDir);
  const networks: View['networks'] = {};
  for (const n of set.networks) networks[n.source.name] = networkView(n);
  return { containers, networks };
}

function containerView(c: ContainerSpec, projectDir: string): Record<string, unknown> {
  const out = plain(c) as Record<string, unknown>;
  delete out.source;
  if (Array.isArray(c.mounts)) {
    out.mounts = c.mounts.map((m) => {
      const v = plain(m) as Record<string, unknown>;
      if (m.type === 'bind' && typeof m.source === 'string' && !isAbsolute(m.source)) {
        v.source = m.source.startsWith('~') ? m.source : resolve(projectDir, m.source);
      }
      if (v.readOnly === undefined) v.readOnly = false;
      return v;
    });
  }
  if (Array.isArray(c.ports)) {
    out.ports = c.ports.map((p) => {
      const v = plain(p) as Record<string, unknown>;
      if (v.protocol === undefined) v.protocol = 'tcp';
      return v;
    });
  }
  if (Array.isArray(c.env)) {
    out.env = (plain(c.env) as { name: string }[]).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  if (Array.isArray(c.links)) out.links = [...(plain(c.links) as string[])].sort();
  return out;
}

function networkView(n: NetworkSpec): Record<string, unknown> {
  const out = plain(n) as Record<string, unknown>;
  delete out.source;
  return out;
}

/** A JSON copy without `origin` fields (source positions, which differ between spellings). */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x)));
}

/**
 * What a fixture directory's `expected.json` says (next to its `compose.yaml`):
 * - `expected`: the normalized result, matched as a subset of {@link View} (`toMatchObject`);
 * - `refused`: instead of `expected`, the input error we give (the file is one compose refuses);
 * - `composeV1`: `"compare"` when `docker-compose config` must read the file as we do, or
 *   `{refuses: why}` when v1 refuses the file too (the reference for a `refused` fixture), or
 *   `{differs: why}` / `{accepts: why}` when v1 and the Compose Specification part ways (the test
 *   checks v1 still does, so the README's list stays true);
 * - `findings`: per rule, the `status service` lines it must give, sorted;
 * - `noFindings`: rules that must give nothing; `absent`: per service, spec fields left unset;
 * - `projectFromFile`: read without forcing the project name, so `name:` and the directory count.
 */
export interface Expectation {
  about: string;
  composeV1: 'compare' | { refuses: string } | { differs: string } | { accepts: string };
  expected?: { containers?: Record<string, object>; networks?: Record<string, object> };
  refused?: string;
  findings?: Record<string, string[]>;
  noFindings?: string[];
  absent?: Record<string, string[]>;
  projectFromFile?: boolean;
}

/**
 * Runs every fixture directory under `root` (each with `compose.yaml` and `expected.json`) as
 * jest tests: our reading against `expected`, the rules against `findings`, and our reading
 * against Docker Compose's own (`docker-compose config`). Without docker-compose the comparisons
 * are skipped with one stated line, unless CI=true, where that is a failure.
 */
export function conformanceSuite(root: string): void {
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'expected.json')))
    .map((d) => d.name)
    .sort();
  const compose = composeV1();
  const missing = 'missing' in compose ? compose.missing : undefined;
  const inCi = process.env.CI === 'true';

  if (missing !== undefined) {
    if (inCi) {
      it('has docker-compose (v1) to compare with, as CI requires', () => {
        throw new Error(`docker-compose is ${missing}; CI runs the conformance suite against it`);
      });
    } else {
      it.skip(`compares with Docker Compose itself: skipped, docker-compose is ${missing} (apt-get install docker-compose)`, () => {});
    }
  }

  describe.each(dirs)('%s', (name) => {
    const fixture = join(root, name, 'compose.yaml');
    const exp = JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Expectation;
    const options: ComposeOptions = exp.projectFromFile ? { env: {} } : OPTIONS;
    const read = () => fromCompose(readFileSync(fixture, 'utf8'), fixture, options);

    if (exp.refused !== undefined) {
      const refused = exp.refused;
      it(`is refused with the field path: ${exp.about}`, () => {
        expect(read).toThrow(InputError);
        expect(read).toThrow(refused);
      });
    } else
      it(`reads as expected: ${exp.about}`, () => {
        const ours = ourView(fixture, options);
        expect(ours).toMatchObject(exp.expected ?? {});
        for (const [service, fields] of Object.entries(exp.absent ?? {})) {
          for (const f of fields)
            expect([service, f, ours.containers[service]?.[f]]).toEqual([service, f, undefined]);
        }
      });

    if (exp.findings || exp.noFindings) {
      it('gives the expected findings', () => {
        const set = read();
        const rules = [...Object.keys(exp.findings ?? {}), ...(exp.noFindings ?? [])];
        for (const rule of rules) {
          const got = evaluate(set, { only: [rule] })
            .findings.map((f) => `${f.status} ${f.resource.name}`)
            .sort();
          expect([rule, got]).toEqual([rule, [...(exp.findings?.[rule] ?? [])].sort()]);
        }
      });
    }

    if (missing !== undefined) return;
    const v1 = exp.composeV1;
    if (v1 === 'compare') {
      it('reads as Docker Compose itself does (docker-compose config)', () => {
        const r = compareWithCompose(fixture);
        expect(r.ours).toEqual(r.compose);
      });
    } else if ('refuses' in v1) {
      it(`is refused by docker-compose v1, as documented: ${v1.refuses}`, () => {
        expect(() => composeConfig(fixture)).toThrow(/docker-compose config refused/);
      });
    } else if ('accepts' in v1) {
      it(`is accepted by docker-compose v1 config, as documented: ${v1.accepts}`, () => {
        expect(() => composeConfig(fixture)).not.toThrow();
      });
    } else {
      it(`is read differently by docker-compose v1, as documented: ${v1.differs}`, () => {
        const r = compareWithCompose(fixture);
        expect(r.ours).not.toEqual(r.compose);
      });
    }
  });
}
