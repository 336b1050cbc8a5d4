/**
 * What each published package ships (`npm pack --dry-run`, from the built workspace) and what its
 * package.json promises a registry install: a README and the Apache-2.0 LICENSE, public access,
 * where to find the source and report bugs, internal dependencies as ranges (never an exact pin
 * of a version that may not exist), no JavaScript beside a bundle that nothing loads, and no
 * source map that points at a file the package does not ship.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const PUBLISHED = [
  'packages/core',
  'packages/components',
  'packages/cli',
  'packages/policy-harness',
  'policy-packs/docker-hardening',
];
/** Packages whose code runs from bundles (scripts/bundle.mjs): only these JS files ship. */
const BUNDLES: Record<string, string[]> = {
  'packages/core': ['dist/core.js'],
  'packages/cli': ['bin/run.js', 'dist/bulkhead.js', 'dist/index.js'],
};

interface PackedFile {
  path: string;
}
const packed = new Map<string, string[]>();
beforeAll(() => {
  for (const dir of PUBLISHED) {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: path.join(REPO, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(out) as [{ files: PackedFile[] }];
    packed.set(
      dir,
      info.files.map((f) => f.path),
    );
  }
}, 120_000);

const manifest = (dir: string) =>
  JSON.parse(readFileSync(path.join(REPO, dir, 'package.json'), 'utf8')) as Record<string, unknown> & {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };

describe.each(PUBLISHED)('%s as published', (dir) => {
  it('ships its README, the Apache-2.0 LICENSE and package.json', () => {
    const files = packed.get(dir)!;
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    const license = readFileSync(path.join(REPO, dir, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  it('declares public access, repository, homepage, bugs and keywords', () => {
    const pkg = manifest(dir);
    expect(pkg.publishConfig).toEqual({ access: 'public' });
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository).toEqual(expect.objectContaining({ type: 'git', directory: dir }));
    expect(typeof pkg.homepage).toBe('string');
    expect(pkg.bugs).toEqual({ url: expect.stringMatching(/\/issues$/) });
    expect((pkg.keywords as string[]).length).toBeGreaterThan(2);
  });

  it('depends on other Bulkhead packages by range, not by an exact version', () => {
    const pkg = manifest(dir);
    const internal = Object.entries({
      ...pkg.dependencies,
      ...pkg.devDependencies,
      ...pkg.peerDependencies,
    }).filter(([name]) => name.startsWith('@bulkhead/'));
    for (const [name, range] of internal) expect(`${name}@${range}`).toMatch(/@\^\d/);
  });

  it('ships no JavaScript that its bundle replaces', () => {
    const bundles = BUNDLES[dir];
    if (!bundles) return;
    // The init templates are files a scaffold copies, not code this package runs.
    const js = packed.get(dir)!.filter((f) => /\.(c|m)?js$/.test(f) && !f.startsWith('dist/templates/'));
    expect(js.sort()).toEqual([...bundles].sort());
  });

  it('ships no source map that points at a file it does not ship', () => {
    const files = new Set(packed.get(dir)!);
    const broken: string[] = [];
    for (const map of [...files].filter((f) => f.endsWith('.map'))) {
      const json = JSON.parse(readFileSync(path.join(REPO, dir, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
        sourceRoot?: string;
      };
      json.sources.forEach((source, i) => {
        const shipped = files.has(
          path.posix.normalize(path.posix.join(path.posix.dirname(map), json.sourceRoot ?? '', source)),
        );
        const inlined = typeof json.sourcesContent?.[i] === 'string';
        if (!shipped && !inlined) broken.push(`${map} → ${source}`);
      });
    }
    expect(broken).toEqual([]);
  });
});

it('the pack pins @pulumi/policy exactly, and its devDependencies name only published packages', () => {
  const pkg = manifest('policy-packs/docker-hardening');
  expect(pkg.dependencies?.['@pulumi/policy']).toMatch(/^\d+\.\d+\.\d+$/);
  const installed = JSON.parse(
    readFileSync(
      require.resolve('@pulumi/policy/package.json', {
        paths: [path.join(REPO, 'policy-packs/docker-hardening')],
      }),
      'utf8',
    ),
  ) as { version: string };
  // The pack's src/sdk.ts was verified against the installed SDK (test/sdk.test.ts): the pin is that version.
  // (@pulumi/policy writes its version with a leading "v" into its own package.json.)
  expect(pkg.dependencies?.['@pulumi/policy']).toBe(installed.version.replace(/^v/, ''));
  const publishedNames = PUBLISHED.map((d) => manifest(d).name);
  for (const name of Object.keys(pkg.devDependencies ?? {}).filter((n) => n.startsWith('@bulkhead/'))) {
    expect(publishedNames).toContain(name);
  }
});

it('@bulkhead/components: dockerode and its types are dependencies of the testkit only', () => {
  const pkg = manifest('packages/components');
  expect(Object.keys(pkg.dependencies ?? {})).toEqual(
    expect.arrayContaining(['dockerode', '@types/dockerode']),
  );
  for (const dir of ['packages/core', 'packages/policy-harness', 'policy-packs/docker-hardening']) {
    const deps = Object.keys(manifest(dir).dependencies ?? {});
    expect({ dir, deps: deps.filter((d) => d.includes('dockerode')) }).toEqual({ dir, deps: [] });
  }
  // The main entry never loads the testkit (where dockerode is used).
  const index = readFileSync(path.join(REPO, 'packages/components/dist/index.js'), 'utf8');
  expect(index).not.toMatch(/testkit|dockerode/);
});
