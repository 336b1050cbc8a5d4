/**
 * The example programs (examples/*) run under Pulumi mocks, and their resources go through the
 * pack over the analyzer protocol the way a preview would send them: the secure examples pass,
 * the insecure one is blocked. Also a real `pulumi preview --policy-pack` when the CLI exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  type MockRunOptions,
  type RegisteredResource,
  runProgramUnderMocks,
} from '@bulkhead/components/testkit';
import {
  type PolicyPackHandle,
  type ResourceInput,
  SECRET_SIG,
  SPECIAL_SIG_KEY,
  secret,
  startPolicyPack,
  unknown,
} from '@bulkhead/policy-harness';

jest.setTimeout(180_000);

// Here rather than in the pack's own tests: the pack's devDependencies name no package that only
// the workspace has (a copy of the pack directory installs from the registry alone).
const REPO = path.resolve(__dirname, '..', '..');
/** The pack directory (what `pulumi preview --policy-pack` is given). */
const PACK_DIR = path.join(REPO, 'policy-packs', 'docker-hardening');
const EXAMPLES = path.join(REPO, 'examples');
const INSECURE = 'insecure-stack';
/** Run options an example needs (its required config), as its own tests pass them. */
const RUN_OPTIONS: Record<string, MockRunOptions> = {
  'web-db': { config: { dbPassword: 'test-only-password-0123456789' }, secretConfigKeys: ['dbPassword'] },
};

const examples = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES).filter(
      (d) => existsSync(path.join(EXAMPLES, d, 'index.ts')) && existsSync(path.join(EXAMPLES, d, 'test')),
    )
  : [];

/** Mock-monitor inputs → harness values: secret wrappers and `__pulumiUnknown` objects. */
function toHarness(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toHarness);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.__pulumiUnknown === true) return unknown();
    if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return secret(toHarness(o.value));
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, toHarness(e)]));
  }
  return v;
}

function toResources(registered: readonly RegisteredResource[]): ResourceInput[] {
  return registered
    .filter((r) => r.custom)
    .map((r) => {
      const out: ResourceInput = {
        type: r.type,
        name: r.name,
        urn: r.urn,
        properties: toHarness(r.inputs) as Record<string, unknown>,
      };
      if (r.parent) out.parent = r.parent;
      return out;
    });
}

let pack: PolicyPackHandle;
beforeAll(async () => {
  // The pack runs from its build, as Pulumi runs it (its own tests check the build is current).
  if (!existsSync(path.join(PACK_DIR, 'dist', 'index.js'))) {
    throw new Error('the pack is not built: run `npx turbo run build` first');
  }
  pack = await startPolicyPack(PACK_DIR);
});
afterAll(async () => {
  await pack?.close();
});

describe('example programs through the pack', () => {
  it('finds the example programs', () => {
    expect(examples).toContain(INSECURE);
  });

  it.each(examples.map((e) => [e]))('%s', async (example) => {
    const dir = path.join(EXAMPLES, example);
    for (const preview of [false, true]) {
      const registered = await runProgramUnderMocks(() => jest.isolateModules(() => require(dir)), {
        project: example,
        preview,
        ...RUN_OPTIONS[example],
      });
      const res = await pack.preview(toResources(registered));
      const mandatory = res.violations.filter((v) => v.enforcementLevel === 'mandatory');
      if (example === INSECURE) {
        // In a preview some inputs are unknown, but the critical misconfigurations are literal.
        expect(mandatory.map((v) => v.policyName)).toEqual(
          expect.arrayContaining(['no-docker-socket', 'no-host-network', 'no-host-pid']),
        );
      } else {
        expect({ preview, mandatory }).toEqual({ preview, mandatory: [] });
        if (!preview) {
          // Known values: nothing but written exemptions, as the example's own tests claim.
          const notes = res.violations.filter((v) => !v.message.includes(': exempt ('));
          expect({ preview, notes }).toEqual({ preview, notes: [] });
        }
      }
    }
  });
});

const pulumiCli = spawnSync('pulumi', ['version'], { encoding: 'utf8' });
const haveCli = pulumiCli.status === 0;
if (!haveCli) {
  console.warn(
    'skipping `pulumi preview --policy-pack`: the Pulumi CLI is not on PATH (it cannot be installed here); ' +
      'the analyzer protocol is covered through @bulkhead/policy-harness instead',
  );
}

(haveCli ? describe : describe.skip)('a real pulumi preview with the pack', () => {
  it('blocks the insecure example and names the violated policies', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'bulkhead-pulumi-'));
    try {
      const env = {
        ...process.env,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${home}`,
        PULUMI_CONFIG_PASSPHRASE: 'bulkhead-test',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
      };
      const cwd = path.join(EXAMPLES, INSECURE);
      const init = spawnSync('pulumi', ['stack', 'init', 'policy-test', '--non-interactive'], {
        cwd,
        env,
        encoding: 'utf8',
      });
      expect(init.status).toBe(0);
      const run = spawnSync('pulumi', ['preview', '--non-interactive', '--policy-pack', PACK_DIR], {
        cwd,
        env,
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      expect(run.stdout + run.stderr).toContain('no-docker-socket');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
