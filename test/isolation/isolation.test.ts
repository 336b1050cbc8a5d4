/**
 * Isolation proven inside a real Docker engine: every probe is blocked in a container deployed
 * from the real `HardenedContainer` program and allowed in an insecure baseline of the same image
 * (so the probe can tell the difference), then the same stacks run under gVisor. All
 * measurements happen in `beforeAll`; the tests assert on them, and the matrix is printed (and
 * written to docs/isolation-results.md with BULKHEAD_WRITE_RESULTS=1).
 */
import { type Deployment, deployToEngine } from '@bulkhead/components/testkit';
import Dockerode from 'dockerode';
import { describeWithEngine, hasRuntime, pinnedTestImage } from '../support/engine.js';
import { formatMatrix, type Matrix, maybeWrite } from './matrix.js';
import {
  type Cell,
  NETWORK_PROBES,
  PROBES,
  type Probe,
  type ProbeContext,
  removedSyscallControl,
} from './probes.js';
import {
  baselineProgram,
  hardenedProgram,
  nameOf,
  PROFILES,
  type Profile,
  REMOVED_SYSCALL,
} from './stacks.js';

const ALL: Probe[] = [...PROBES, ...NETWORK_PROBES];

describeWithEngine('isolation probes on a real Docker engine', () => {
  const docker = new Dockerode();
  const deployments = new Map<Profile, Deployment>();
  const matrix: Matrix = new Map();
  let gvisor = false;
  let started = 0;
  let engineVersion = '';

  const ctx = (profile: Profile): ProbeContext => ({
    d: deployments.get(profile) as Deployment,
    docker,
    profile,
    name: (role) => nameOf(profile, role),
  });
  const at = (probe: string, profile: Profile): Cell | undefined => matrix.get(probe)?.[profile];
  /** `outcome: evidence`, so a failing assertion shows what the probe saw. */
  const seen = (probe: string, profile: Profile): string => {
    const c = at(probe, profile);
    return c ? `${c.outcome}: ${c.evidence}` : 'not run';
  };
  const outcome = (want: string) => new RegExp(`^${want}: `);

  beforeAll(async () => {
    started = Date.now();
    const info = (await docker.info()) as { ServerVersion: string; SecurityOptions?: string[] };
    engineVersion = info.ServerVersion;
    const apparmor = (info.SecurityOptions ?? []).some((o) => o.includes('apparmor'));
    gvisor = await hasRuntime(docker, 'runsc');
    if (!gvisor) {
      if (process.env.CI === 'true')
        throw new Error('runtime runsc is not registered: run scripts/engine-up.sh');
      console.warn('SKIPPING the gVisor columns: the engine has no runsc runtime');
    }
    const image = await pinnedTestImage(docker);
    const profiles = PROFILES.filter((p) => gvisor || !p.startsWith('gvisor'));

    // Programs run one at a time (Pulumi's runtime is global); deployments run side by side.
    const resources = new Map<Profile, Awaited<ReturnType<typeof hardenedProgram>>>();
    for (const p of profiles) {
      resources.set(
        p,
        p === 'hardened' || p === 'gvisor'
          ? await hardenedProgram(p, image)
          : await baselineProgram(p, image, apparmor),
      );
    }
    const results = await Promise.allSettled(
      profiles.map(async (p) => {
        const d = await deployToEngine(resources.get(p) ?? [], {
          pull: false,
          prefix: `bhk-iso-${p}-${process.pid}`,
        });
        deployments.set(p, d);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    // Probes run in order inside each profile (nproc leaves short-lived sleeps: it runs late),
    // profiles side by side.
    await Promise.all(
      profiles.map(async (p) => {
        for (const probe of ALL) {
          const cell = await probe.run(ctx(p)).catch((err: unknown) => ({
            outcome: 'error' as const,
            evidence: String(err).slice(0, 120),
          }));
          matrix.set(probe.id, { ...matrix.get(probe.id), [p]: cell });
        }
      }),
    );
  }, 170_000);

  afterAll(async () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    await Promise.all([...deployments.values()].map((d) => d.teardown()));
    if (matrix.size > 0) {
      console.log(`isolation matrix (${seconds} s):\n${formatMatrix(ALL, matrix)}`);
      const file = maybeWrite(ALL, matrix, { engine: engineVersion, seconds });
      if (file) console.log(`wrote ${file}`);
    }
  }, 60_000);

  describe('hardened (runc) vs insecure baseline (runc)', () => {
    it.each(PROBES.map((p) => [p.title, p]))(
      '%s: blocked when hardened, allowed in the baseline',
      (_t, probe) => {
        expect(seen(probe.id, 'hardened')).toMatch(outcome('blocked'));
        expect(seen(probe.id, 'baseline')).toMatch(outcome('allowed'));
      },
    );

    it('the declared link works in both: a reaches b (so the undeclared-peer probe can tell)', () => {
      expect(seen('net-declared', 'hardened')).toMatch(outcome('allowed'));
      expect(seen('net-declared', 'baseline')).toMatch(outcome('allowed'));
    });

    it('a cannot reach d (on the c->d link) by address when hardened; on the shared baseline network it can', () => {
      expect(seen('net-undeclared', 'hardened')).toMatch(outcome('blocked'));
      expect(seen('net-undeclared', 'baseline')).toMatch(outcome('allowed'));
    });

    it(`${REMOVED_SYSCALL}(2) works under the component's default profile, so the removal is what blocks it`, async () => {
      const r = await removedSyscallControl(ctx('hardened'));
      expect(r).toMatchObject({ exitCode: 0 });
    });

    it('the memory probe left the engine healthy', async () => {
      await expect(docker.ping()).resolves.toBeTruthy();
    });
  });

  describe('under gVisor (runsc, wrapper adds --network=none)', () => {
    const gvisorIt = (title: string, fn: () => void) =>
      it(title, () => {
        if (!gvisor) return; // warned in beforeAll; CI fails there instead
        fn();
      });
    for (const probe of ALL) {
      const { expect: want, why } = probe.gvisor;
      gvisorIt(`hardened: ${probe.title} → ${want}${why ? ` (${why})` : ''}`, () => {
        expect(seen(probe.id, 'gvisor')).toMatch(outcome(want));
      });
      const base = probe.gvisorBaseline;
      gvisorIt(`baseline: ${probe.title} → ${base.expect}${base.why ? ` (${base.why})` : ''}`, () => {
        expect(seen(probe.id, 'gvisor-baseline')).toMatch(outcome(base.expect));
      });
    }
  });
});
