import { buildSeccompProfile, catalog, exemptLabel, LABELS, seccompSecurityOpt } from '@bulkhead/core';
import {
  CONTAINER_DEFAULTS,
  ComponentArgsError,
  computeContainerArgs,
  type HardenedContainerArgs,
} from '../src/index.js';

const IMAGE = `registry.example/api@sha256:${'a'.repeat(64)}`;
const HEALTH = { test: ['/app/healthz'] };
/** The least a caller must give: an image pinned by digest and a health check (see README). */
const minimal = (extra: Partial<HardenedContainerArgs> = {}): HardenedContainerArgs => ({
  image: IMAGE,
  healthcheck: HEALTH,
  ...extra,
});

/** The error message `computeContainerArgs` throws for `args`. */
function errorOf(args: unknown, name = 'api'): string {
  try {
    computeContainerArgs(name, args as HardenedContainerArgs, { today: () => '2030-01-01' });
  } catch (e) {
    expect(e).toBeInstanceOf(ComponentArgsError);
    return (e as Error).message;
  }
  throw new Error('expected computeContainerArgs to throw');
}

const labelsOf = (args: HardenedContainerArgs) =>
  Object.fromEntries(
    (computeContainerArgs('api', args).containerArgs.labels as { label: string; value: string }[]).map(
      (l) => [l.label, l.value],
    ),
  );

describe('computeContainerArgs defaults', () => {
  const { containerArgs: ca, uid, gid, report } = computeContainerArgs('api', minimal());

  it('passes every rule of the restricted profile with no finding at all', () => {
    expect(report.findings).toEqual([]);
    expect(report.summary.rules).toBe(catalog.profile('restricted').length);
  });

  it('runs as a numeric non-root uid:gid derived from the name', () => {
    expect(ca.user).toBe(`${uid}:${gid}`);
    expect(uid).toBeGreaterThanOrEqual(CONTAINER_DEFAULTS.uidRange.min);
    expect(uid).toBeLessThan(CONTAINER_DEFAULTS.uidRange.min + CONTAINER_DEFAULTS.uidRange.size);
    expect(computeContainerArgs('api', minimal()).uid).toBe(uid);
    expect(computeContainerArgs('worker', minimal()).uid).not.toBe(uid);
  });

  it('drops every capability and adds none', () => {
    expect(ca.capabilities).toEqual({ drops: ['ALL'] });
    expect(ca.privileged).toBe(false);
  });

  it('sets no-new-privileges, AppArmor docker-default and the default-deny seccomp profile inline', () => {
    expect(ca.securityOpts).toEqual([
      'no-new-privileges:true',
      'apparmor=docker-default',
      seccompSecurityOpt(buildSeccompProfile({})),
    ]);
    const seccomp = JSON.parse((ca.securityOpts as string[])[2]!.slice('seccomp='.length));
    expect(seccomp.defaultAction).not.toBe('SCMP_ACT_ALLOW');
  });

  it('mounts a read-only root with /tmp as a small noexec tmpfs owned by the container user', () => {
    expect(ca.readOnly).toBe(true);
    expect(ca.tmpfs).toEqual({ '/tmp': `size=16m,noexec,nosuid,nodev,uid=${uid},gid=${gid},mode=0700` });
  });

  it('limits memory without swap, CPU, processes (nproc) and open files', () => {
    expect(ca.memory).toBe(256);
    expect(ca.memorySwap).toBe(256);
    expect(ca.cpus).toBe('0.5');
    expect(ca.ulimits).toEqual([
      { name: 'nofile', soft: 1024, hard: 1024 },
      { name: 'nproc', soft: 256, hard: 256 },
    ]);
  });

  it('has no network at all and shares no host namespace', () => {
    expect(ca.networkMode).toBe('none');
    expect(ca.networksAdvanced).toBeUndefined();
    expect(ca.cgroupnsMode).toBe('private');
    for (const k of ['pidMode', 'ipcMode', 'usernsMode', 'ports'] as const) expect(ca[k]).toBeUndefined();
  });

  it('restarts on failure at most 3 times, rotates json-file logs, runs an init and uses runc', () => {
    expect(ca).toMatchObject({
      restart: 'on-failure',
      maxRetryCount: 3,
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m', 'max-file': '3' },
      init: true,
      runtime: 'runc',
    });
  });

  it('turns the health check into a CMD test with bounded timings', () => {
    expect(ca.healthcheck).toEqual({
      tests: ['CMD', '/app/healthz'],
      interval: '30s',
      timeout: '5s',
      retries: 3,
      startPeriod: '10s',
    });
  });

  it('labels the container with the component type only', () => {
    expect(ca.labels).toEqual([{ label: LABELS.component, value: 'HardenedContainer' }]);
  });

  it('builds the same default seccomp text once and reuses it', () => {
    const again = computeContainerArgs('other', minimal()).containerArgs.securityOpts as string[];
    expect(again[2]).toBe((ca.securityOpts as string[])[2]);
  });
});

describe('computeContainerArgs options', () => {
  it('selects runsc for the gvisor sandbox', () => {
    expect(computeContainerArgs('api', minimal({ sandbox: 'gvisor' })).containerArgs.runtime).toBe('runsc');
  });

  it('joins only the given networks, with aliases', () => {
    const { containerArgs } = computeContainerArgs(
      'api',
      minimal({ networks: ['backend', { network: 'db-link', aliases: ['api'] }] }),
    );
    expect(containerArgs.networkMode).toBeUndefined();
    expect(containerArgs.networksAdvanced).toEqual([
      { name: 'backend' },
      { name: 'db-link', aliases: ['api'] },
    ]);
  });

  it('publishes ports on 127.0.0.1 by default and marks the container an ingress', () => {
    const { containerArgs, report } = computeContainerArgs(
      'api',
      minimal({
        ports: [
          { internal: 8080, external: 8443 },
          { internal: 9090, ip: '10.0.0.5', protocol: 'udp' },
        ],
      }),
    );
    expect(containerArgs.ports).toEqual([
      { internal: 8080, external: 8443, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 9090, ip: '10.0.0.5', protocol: 'udp' },
    ]);
    expect(labelsOf(minimal({ ports: [{ internal: 8080 }] }))[LABELS.role]).toBe('ingress');
    expect(report.findings).toEqual([]);
  });

  it('makes writable paths tmpfs with the given size and mode, exec only with an exception', () => {
    expect(errorOf(minimal({ writablePaths: { '/run/app': { exec: true } } }))).toMatch(
      /args\.writablePaths\["\/run\/app"\]: tmpfs mount lacks noexec \(rule tmpfs-hardened\)/,
    );
    const { containerArgs, uid } = computeContainerArgs(
      'api',
      minimal({
        writablePaths: { '/var/cache/app': { size: '64m', mode: '0750' }, '/run/app': { exec: true } },
        exceptions: [{ rule: 'tmpfs-hardened', reason: 'JIT writes and runs code in /run/app' }],
      }),
    );
    expect(containerArgs.tmpfs).toEqual({
      '/var/cache/app': `size=64m,noexec,nosuid,nodev,uid=${uid},gid=${uid},mode=0750`,
      '/run/app': `size=16m,nosuid,nodev,uid=${uid},gid=${uid},mode=0700`,
    });
  });

  it('passes an explicit uid:gid, resource limits, named volumes and read-only bind mounts through', () => {
    const { containerArgs } = computeContainerArgs(
      'api',
      minimal({
        user: '10001:10001',
        memoryMb: 512,
        cpus: '1.5',
        maxProcesses: 64,
        maxOpenFiles: 4096,
        volumes: [{ source: 'api-data', target: '/data' }],
        bindMounts: [{ hostPath: '/srv/config', target: '/config' }],
      }),
    );
    expect(containerArgs).toMatchObject({
      user: '10001:10001',
      memory: 512,
      memorySwap: 512,
      cpus: '1.5',
      ulimits: [
        { name: 'nofile', soft: 4096, hard: 4096 },
        { name: 'nproc', soft: 64, hard: 64 },
      ],
      mounts: [
        { type: 'volume', source: 'api-data', target: '/data', readOnly: false },
        { type: 'bind', source: '/srv/config', target: '/config', readOnly: true },
      ],
    });
  });

  it('accepts seccomp additions and a complete learned profile', () => {
    const plus = computeContainerArgs('api', minimal({ seccomp: { add: ['move_pages'] } })).containerArgs;
    expect((plus.securityOpts as string[])[2]).toBe(
      seccompSecurityOpt(buildSeccompProfile({ add: ['move_pages'] })),
    );
    const learned = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }],
    };
    // Adding a call Docker keeps for a capability (ptrace: CAP_SYS_PTRACE) needs a written exception.
    // (This test used to add ptrace freely; seccomp-profile-valid now flags it.)
    expect(() => computeContainerArgs('api', minimal({ seccomp: { add: ['ptrace'] } }))).toThrow(
      /allows ptrace, which Docker's default profile allows only with CAP_SYS_PTRACE/,
    );
    const excepted = computeContainerArgs(
      'api',
      minimal({
        seccomp: { add: ['ptrace'] },
        exceptions: [{ rule: 'seccomp-profile-valid', reason: 'the profiler attaches to its own workers' }],
      }),
    ).containerArgs;
    expect((excepted.securityOpts as string[])[2]).toBe(
      seccompSecurityOpt(buildSeccompProfile({ add: ['ptrace'] })),
    );
    for (const profile of [learned, JSON.stringify(learned)]) {
      const opts = computeContainerArgs('api', minimal({ seccomp: { profile } as never })).containerArgs
        .securityOpts as string[];
      expect(JSON.parse(opts[2]!.slice('seccomp='.length)).syscalls[0].names).toEqual(['read', 'write']);
    }
  });

  it('records links and the ingress role as labels', () => {
    const labels = labelsOf(minimal({ links: ['db:5432', 'cache'], role: 'ingress' }));
    expect(labels[LABELS.links]).toBe('db:5432,cache');
    expect(labels[LABELS.role]).toBe('ingress');
  });

  it('marks env entries core flags as secrets and leaves the others plain', () => {
    const c = computeContainerArgs(
      'api',
      minimal({ env: { PORT: '8080', DB_PASSWORD: 'hunter2hunter2', NOTE: 'ghp_' + 'x'.repeat(36) } }),
    );
    expect(c.secretEnvKeys).toEqual(['DB_PASSWORD', 'NOTE']);
    expect(c.containerArgs.envs).toEqual([
      'PORT=8080',
      'DB_PASSWORD=hunter2hunter2',
      `NOTE=ghp_${'x'.repeat(36)}`,
    ]);
    expect(c.report.findings).toEqual([]);
  });
});

describe('computeContainerArgs exceptions', () => {
  it('allows root with an exception and records the reason and expiry as labels', () => {
    const args = minimal({
      user: '0:0',
      exceptions: [
        { rule: 'non-root-user', reason: 'legacy image needs root to bind', expires: '2099-12-31' },
        { rule: 'no-privileged-groups', reason: 'legacy image needs root to bind' },
        { rule: 'pids-limit', reason: 'legacy image needs root to bind' },
      ],
    });
    const c = computeContainerArgs('api', args);
    expect(c.containerArgs.user).toBe('0:0');
    const labels = labelsOf(args);
    expect(labels[exemptLabel('non-root-user')]).toBe('legacy image needs root to bind');
    expect(labels[`${LABELS.exemptExpiresPrefix}non-root-user`]).toBe('2099-12-31');
    const exempt = c.report.findings.filter((f) => f.status === 'exempt');
    expect(exempt.map((f) => [f.ruleId, f.exemption?.reason])).toContainEqual([
      'non-root-user',
      'legacy image needs root to bind',
    ]);
    expect(c.report.findings.filter((f) => f.status === 'fail')).toEqual([]);
  });

  it('allows an extra capability only with an exception for the rule that flags it', () => {
    expect(errorOf(minimal({ capAdd: ['SYS_ADMIN'] }))).toMatch(
      /args\.capAdd\[0\]: .*rule no-critical-capabilities/,
    );
    const ids = [...errorOf(minimal({ capAdd: ['SYS_ADMIN'] })).matchAll(/rule: "([a-z-]+)"/g)].map(
      (m) => m[1]!,
    );
    const c = computeContainerArgs(
      'api',
      minimal({
        capAdd: ['SYS_ADMIN'],
        exceptions: ids.map((rule) => ({ rule, reason: 'FUSE mount for the e2e suite' })),
      }),
    );
    expect(c.containerArgs.capabilities).toEqual({ drops: ['ALL'], adds: ['SYS_ADMIN'] });
    expect(c.report.findings.every((f) => f.status === 'exempt')).toBe(true);
  });
});

describe('computeContainerArgs errors', () => {
  it('rejects root without an exception, naming the argument, the rule and the fix', () => {
    expect(errorOf(minimal({ user: '0:0' }))).toMatchInlineSnapshot(`
"HardenedContainer "api" has 3 problems:
  args.user: runs as root (rule non-root-user); use a numeric non-root uid:gid such as "10001:10001", or add an exception { rule: "non-root-user", reason: "…" }
  args.user: runs with a privileged primary group (rule no-privileged-groups); use a numeric non-root uid:gid such as "10001:10001", or add an exception { rule: "no-privileged-groups", reason: "…" }
  args.user: this resource type cannot set a PIDs limit; the workaround is an nproc ulimit together with a numeric non-root uid unique to this container, or accept the gap with an exemption (no numeric non-root uid is set) (rule pids-limit); use a numeric non-root uid:gid such as "10001:10001", or add an exception { rule: "pids-limit", reason: "…" }"
`);
  });

  it('rejects user names and a uid without a gid', () => {
    expect(errorOf(minimal({ user: 'app' }))).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.user: must be a numeric "uid:gid" such as "10001:10001"; a user name cannot be checked for root before the container starts, and a uid alone runs with gid 0 (root group)"`,
    );
    expect(errorOf(minimal({ user: '10001' }))).toMatch(/args\.user: must be a numeric "uid:gid"/);
  });

  it('rejects an image not pinned by digest', () => {
    expect(errorOf(minimal({ image: 'nginx:latest' }))).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.image: refers to the image by tag, not by digest (rule image-digest-pinned); pin the image by digest, "name@sha256:<64 hex>" (for example RemoteImage.repoDigest), or add an exception { rule: "image-digest-pinned", reason: "…" }"`,
    );
  });

  it('rejects a container without a health check (core rule healthcheck, restricted)', () => {
    expect(errorOf({ image: IMAGE })).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.healthcheck.test: declares no health check here (an image HEALTHCHECK, if any, is not visible) (rule healthcheck); pass healthcheck: { test: ["CMD", "/app/healthz"] } (a command the image can run), or add an exception { rule: "healthcheck", reason: "…" }"`,
    );
  });

  it('lists every problem at once, each with its path', () => {
    expect(
      errorOf(
        minimal({
          privileged: true,
          readOnlyRootfs: false,
          hostNamespaces: { pid: true },
          seccomp: 'unconfined',
          ports: [{ internal: 80, ip: '0.0.0.0' }],
        }),
      ),
    ).toMatchInlineSnapshot(`
"HardenedContainer "api" has 5 problems:
  args.hostNamespaces.pid: shares the host's PID namespace (rule no-host-pid); remove the host namespace from hostNamespaces, or add an exception { rule: "no-host-pid", reason: "…" }
  args.ports[0].ip: publishes a port on all host interfaces (no host IP) (rule ports-bound-to-interface); bind the port to 127.0.0.1 or one specific interface, or add an exception { rule: "ports-bound-to-interface", reason: "…" }
  args.privileged: runs in privileged mode (rule no-privileged); remove privileged: true and add only the capabilities the workload needs to capAdd, or add an exception { rule: "no-privileged", reason: "…" }
  args.readOnlyRootfs: the root filesystem is writable (rule read-only-rootfs); keep the root filesystem read-only and list writable directories in writablePaths, or add an exception { rule: "read-only-rootfs", reason: "…" }
  args.seccomp: disables the seccomp filter (rule seccomp-not-unconfined); omit seccomp for the default profile, or pass { add, remove } or a learned { profile }, or add an exception { rule: "seccomp-not-unconfined", reason: "…" }"
`);
  });

  it('rejects unknown arguments, bad shapes and reserved labels before judging security', () => {
    expect(
      errorOf({
        ...minimal(),
        capAdds: ['NET_ADMIN'],
        memoryMb: 0.5,
        labels: { 'dev.bulkhead.role': 'ingress' },
      }),
    ).toMatchInlineSnapshot(`
"HardenedContainer "api" has 3 problems:
  args.memoryMb: must be a whole number (a memory limit in MB of at least 6)
  args.labels["dev.bulkhead.role"]: keys under "dev.bulkhead." are written by Bulkhead; use exceptions, links or role instead
  args: unknown argument "capAdds""
`);
  });

  it('rejects exceptions for unknown rules, short reasons and past expiry dates', () => {
    expect(
      errorOf(
        minimal({
          exceptions: [
            { rule: 'no-such-rule', reason: 'because we can' },
            { rule: 'non-root-user', reason: 'short' },
            { rule: 'no-privileged', reason: 'long enough reason', expires: '2020-01-01' },
          ],
        }),
      ),
    ).toMatchInlineSnapshot(`
"HardenedContainer "api" has 3 problems:
  args.exceptions[0].rule: no rule has this id; use an id from \`bulkhead rules list\`
  args.exceptions[1].reason: must have at least 10 visible characters: write why this risk is accepted
  args.exceptions[2].expires: has passed; renew the decision with a later date or remove the exception"
`);
  });

  it('rejects an exception that exempts nothing', () => {
    expect(
      errorOf(minimal({ exceptions: [{ rule: 'no-privileged', reason: 'just in case we need it' }] })),
    ).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.exceptions[0]: nothing in these arguments weakens rule no-privileged; remove the exception so the label does not claim an accepted risk"`,
    );
  });

  it('rejects an invalid learned seccomp profile with the profile path', () => {
    expect(
      errorOf(minimal({ seccomp: { profile: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [] } as never } })),
    ).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.seccomp.profile.defaultAction: SCMP_ACT_ALLOW allows every syscall not listed; use SCMP_ACT_ERRNO (with defaultErrnoRet 1) and list the syscalls to allow"`,
    );
    expect(errorOf(minimal({ seccomp: { profile: '{not json' } }))).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.seccomp.profile: is not valid JSON; pass the profile object or its JSON text"`,
    );
  });

  it('rejects a host network together with networks', () => {
    expect(
      errorOf(
        minimal({
          hostNamespaces: { network: true },
          networks: ['backend'],
          exceptions: [{ rule: 'no-host-network', reason: 'packet capture appliance' }],
        }),
      ),
    ).toMatchInlineSnapshot(
      `"HardenedContainer "api": args.hostNamespaces.network: a container on the host network cannot also join networks; drop one of the two"`,
    );
  });
});
