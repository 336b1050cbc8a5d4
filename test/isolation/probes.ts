/**
 * Isolation probes: each one tries something an attacker inside a container would try, and
 * classifies the result as `blocked` or `allowed` only on specific evidence (an exit status
 * together with the kernel's error text). Anything else is `error`, so a probe that breaks for an
 * unrelated reason (missing applet, timeout) can never pass for a blocked one.
 */
import type { Deployment, ExecResult } from '@bulkhead/components/testkit';
import type Dockerode from 'dockerode';
import {
  MEMORY_LIMIT_MB,
  NPROC_BOUND,
  nameOf,
  type Profile,
  REMOVED_SYSCALL,
  type Role,
  SERVER_PORT,
} from './stacks.js';

export type Outcome = 'blocked' | 'allowed' | 'error';
export interface Cell {
  outcome: Outcome;
  evidence: string;
}

export interface ProbeContext {
  d: Deployment;
  docker: Dockerode;
  profile: Profile;
  name(role: Role): string;
}

export interface Probe {
  id: string;
  /** What the probe tries, phrased as the attack. */
  title: string;
  /** How it is tried, for the results document. */
  how: string;
  /** Expected outcome of the hardened container under gVisor, and why when it differs from runc. */
  gvisor: { expect: Outcome; why?: string };
  /** Expected outcome of the insecure baseline under gVisor, and why when it differs from runc. */
  gvisorBaseline: { expect: Outcome; why?: string };
  run(ctx: ProbeContext): Promise<Cell>;
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.slice(0, 90) ?? '';
const said = (r: ExecResult): string => firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.exitCode}`;
const cell = (outcome: Outcome, evidence: string): Cell => ({ outcome, evidence });

/** An exec probe in the `probe` container: `allowed` / `blocked` tests on the exec result. */
function execProbe(
  cmd: string,
  verdict: { allowed(r: ExecResult): boolean; blocked(r: ExecResult, profile: Profile): boolean },
  role: Role = 'probe',
  timeoutMs = 10_000,
): Probe['run'] {
  return async ({ d, name, profile }) => {
    const r = await d.exec(name(role), ['sh', '-c', cmd], { timeoutMs });
    if (verdict.allowed(r)) return cell('allowed', said(r));
    if (verdict.blocked(r, profile)) return cell('blocked', said(r));
    return cell('error', `unexpected: exit ${r.exitCode}, ${said(r)}`);
  };
}

const ok = (r: ExecResult) => r.exitCode === 0;
const failedWith = (re: RegExp) => (r: ExecResult) => r.exitCode !== 0 && re.test(r.stderr + r.stdout);
const EPERM = /Operation not permitted/;

export const PROBES: Probe[] = [
  {
    id: 'root',
    title: 'runs as root',
    how: '`id -u` prints 0',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: async ({ d, name }) => {
      const r = await d.exec(name('probe'), ['id', '-u']);
      const uid = r.stdout.trim();
      if (r.exitCode !== 0 || !/^\d+$/.test(uid)) return cell('error', said(r));
      return cell(uid === '0' ? 'allowed' : 'blocked', `uid ${uid}`);
    },
  },
  {
    id: 'capabilities',
    title: 'holds effective capabilities',
    how: '`grep CapEff /proc/self/status` is non-zero',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: async ({ d, name }) => {
      const r = await d.exec(name('probe'), ['grep', 'CapEff', '/proc/self/status']);
      const hex = /CapEff:\s*([0-9a-f]+)/.exec(r.stdout)?.[1];
      if (!hex) return cell('error', said(r));
      return cell(/^0+$/.test(hex) ? 'blocked' : 'allowed', `CapEff ${hex}`);
    },
  },
  {
    id: 'no-new-privs',
    title: 'can gain privileges on exec (no_new_privs off)',
    how: '`setpriv -d` (prctl PR_GET_NO_NEW_PRIVS) reports 0; gVisor has no NoNewPrivs line in /proc/self/status',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: {
      expect: 'blocked',
      why: 'runsc sets no_new_privs on every sandboxed process, whatever the container asked for',
    },
    run: async ({ d, name }) => {
      const r = await d.exec(name('probe'), ['setpriv', '-d']);
      const flag = /no_new_privs:\s*(\d)/.exec(r.stdout)?.[1];
      if (!flag) return cell('error', said(r));
      return cell(flag === '1' ? 'blocked' : 'allowed', `no_new_privs ${flag}`);
    },
  },
  {
    id: 'seccomp',
    title: 'runs without a seccomp filter',
    how: '`grep Seccomp: /proc/self/status` is 0 (2 = filter mode)',
    gvisor: {
      expect: 'allowed',
      why:
        "runsc does not load the container's seccomp profile into the sandbox (syscalls are served by gVisor's " +
        'own kernel, the Sentry, which runs under its own host seccomp filter), so the probe reads 0',
    },
    gvisorBaseline: { expect: 'allowed' },
    run: async ({ d, name }) => {
      const r = await d.exec(name('probe'), ['grep', 'Seccomp:', '/proc/self/status']);
      const mode = /Seccomp:\s*(\d)/.exec(r.stdout)?.[1];
      if (!mode) return cell('error', said(r));
      return cell(mode === '0' ? 'allowed' : 'blocked', `Seccomp ${mode}`);
    },
  },
  {
    id: 'write-root',
    title: 'writes to the root filesystem',
    how: '`touch /bulkhead-probe`',
    gvisor: {
      expect: 'blocked',
      why:
        'gVisor checks file permissions before the read-only mount, so the non-root uid gets EACCES where runc ' +
        'answers EROFS (both deny; under gVisor this probe shows the uid, not the read-only root)',
    },
    gvisorBaseline: { expect: 'allowed' },
    run: execProbe('touch /bulkhead-probe', {
      allowed: ok,
      blocked: (r, profile) =>
        failedWith(
          profile === 'gvisor' ? /Read-only file system|Permission denied/ : /Read-only file system/,
        )(r),
    }),
  },
  {
    id: 'exec-tmpfs',
    title: 'executes a binary it wrote to its writable tmpfs',
    how: 'copy busybox to /tmp/x/echo and run it (noexec → EACCES)',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: execProbe('mkdir -p /tmp/x && cp /bin/busybox /tmp/x/echo && /tmp/x/echo ran', {
      allowed: (r) => ok(r) && r.stdout.trim() === 'ran',
      blocked: (r) => r.exitCode === 126 && /Permission denied/.test(r.stderr),
    }),
  },
  {
    id: 'mount',
    title: 'mounts a filesystem',
    how: '`mount -t tmpfs none /tmp/m`',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: execProbe('mkdir -p /tmp/m && mount -t tmpfs none /tmp/m', {
      allowed: ok,
      blocked: failedWith(/permission denied|Operation not permitted/i),
    }),
  },
  {
    id: 'raw-socket',
    title: 'opens a raw socket (CAP_NET_RAW)',
    how:
      '`traceroute -n -m 1 -q 1 127.0.0.1`: its ICMP receive socket is SOCK_RAW, which needs CAP_NET_RAW. ' +
      '(`ping` proves nothing: Docker opens net.ipv4.ping_group_range to every gid, so an iputils ping works ' +
      'without the capability over an ICMP datagram socket, while busybox ping only ever tries SOCK_RAW.)',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: {
      expect: 'blocked',
      why: 'runsc disables raw sockets unless started with --net-raw (it drops CAP_NET_RAW even when added)',
    },
    run: execProbe('traceroute -n -m 1 -w 1 -q 1 127.0.0.1', {
      allowed: ok,
      blocked: failedWith(/socket: Operation not permitted/),
    }),
  },
  {
    id: 'chown',
    title: 'gives a file away with chown (CAP_CHOWN)',
    how: '`chown 65534 /dev/shm` (root-owned, writable in every profile)',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: execProbe('chown 65534 /dev/shm', { allowed: ok, blocked: failedWith(EPERM) }),
  },
  {
    id: 'removed-syscall',
    title: `calls ${REMOVED_SYSCALL}(2), removed from the allowlist by the hardened profile`,
    how:
      '`linux32 true` calls personality(PER_LINUX32), a value Docker’s default profile allows; the probe ' +
      `container's profile is built with seccomp: { remove: ["${REMOVED_SYSCALL}"] } (personality flags ` +
      'can switch off ASLR-related protections; servers never need them)',
    gvisor: {
      expect: 'blocked',
      why: 'gVisor does not implement the PER_LINUX32 persona: EINVAL, with or without the profile',
    },
    gvisorBaseline: { expect: 'blocked', why: 'gVisor does not implement the PER_LINUX32 persona (EINVAL)' },
    run: execProbe('linux32 true', {
      allowed: ok,
      blocked: (r, profile) => failedWith(profile.startsWith('gvisor') ? /Invalid argument/ : EPERM)(r),
    }),
  },
  {
    id: 'nproc',
    title: `starts more processes than the bound (${NPROC_BOUND})`,
    how:
      `start up to ${NPROC_BOUND * 2} \`sleep 5\` in a loop (never more); the bound is the nproc ulimit, ` +
      'which Linux counts per uid: the component gives each container its own uid',
    gvisor: { expect: 'blocked' },
    gvisorBaseline: { expect: 'allowed' },
    run: async ({ d, name }) => {
      const tries = NPROC_BOUND * 2;
      const r = await d.exec(
        name('probe'),
        ['sh', '-c', `for i in $(seq ${tries}); do sleep 5 </dev/null >/dev/null 2>&1 & echo $i; done`],
        { timeoutMs: 15_000 },
      );
      const started = Number(r.stdout.trim().split('\n').pop() ?? 0);
      if (started === tries) return cell('allowed', `started ${started}`);
      if (/can't fork/.test(r.stderr) && started < NPROC_BOUND)
        return cell('blocked', `started ${started}, then: can't fork`);
      return cell('error', `unexpected: started ${started}, ${said(r)}`);
    },
  },
  {
    id: 'memory',
    title: `allocates more than the memory limit (${MEMORY_LIMIT_MB} MB)`,
    how:
      `\`dd bs=${MEMORY_LIMIT_MB * 2}M count=1\` holds a ${MEMORY_LIMIT_MB * 2} MB buffer (bounded, so the ` +
      'unlimited baseline is harmless); blocked = the allocation is OOM-killed, the engine reports an oom ' +
      'event and State.OOMKilled, and `docker info` still works',
    gvisor: {
      expect: 'blocked',
      why:
        'the host OOM killer takes the whole sandbox (gVisor holds the memory of all its processes), so the ' +
        'container dies with 137 (and its on-failure policy restarts it) instead of only the allocating ' +
        'process being killed; the exec never returns',
    },
    gvisorBaseline: { expect: 'allowed' },
    run: async ({ d, docker, name }) => {
      const c = name('mem');
      const id = d.containers[c] as string;
      const since = Math.floor(Date.now() / 1000) - 1;
      let exit: string;
      try {
        const r = await d.exec(
          c,
          ['dd', 'if=/dev/zero', 'of=/dev/null', `bs=${MEMORY_LIMIT_MB * 2}M`, 'count=1'],
          {
            timeoutMs: 8000,
          },
        );
        if (r.exitCode === 0) return cell('allowed', `dd exit 0 (${firstLine(r.stderr)})`);
        exit = `dd exit ${r.exitCode}`;
      } catch (err) {
        if (!/did not finish/.test(String(err))) throw err;
        exit = 'dd never returned';
      }
      // Stop (bounded) so the engine records how the container ended; no restart follows a stop.
      await docker
        .getContainer(id)
        .stop({ t: 1 })
        .catch(() => undefined);
      const info = await d.inspect(c);
      const events = await engineEvents(docker, id, since);
      const ooms = events.filter((e) => e.Action === 'oom').length;
      const killed = events.some((e) => e.Action === 'die' && e.Actor?.Attributes?.exitCode === '137');
      await docker.info(); // the engine is still healthy
      const evidence =
        `${exit}; ${ooms} oom event(s); ${killed ? 'container died 137 and restarted; ' : ''}` +
        `OOMKilled ${info.State.OOMKilled}; engine healthy`;
      if (ooms > 0 && (info.State.OOMKilled || killed)) return cell('blocked', evidence);
      return cell('error', `unexpected: ${evidence}`);
    },
  },
];

interface EngineEvent {
  Action?: string;
  Actor?: { Attributes?: Record<string, string> };
}

/** The `oom` and `die` events the engine reported for a container since `since` (unix seconds). */
async function engineEvents(docker: Dockerode, id: string, since: number): Promise<EngineEvent[]> {
  const until = Math.floor(Date.now() / 1000) + 1;
  const stream = (await docker.getEvents({
    since,
    until,
    filters: JSON.stringify({ container: [id], event: ['oom', 'die'] }),
  })) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EngineEvent);
}

/** The network probes: declared peer reachable, undeclared peer not (by address, not just name). */
export const NETWORK_PROBES: Probe[] = [
  {
    id: 'net-declared',
    title: 'reaches the peer on its declared link (control: must work)',
    how: '`a` sends to `b:8080` by name with `nc -w 2`; `b` answers `pong`',
    gvisor: {
      expect: 'blocked',
      why: 'the runsc wrapper on this host adds --network=none: the sandbox has only loopback, no link works',
    },
    gvisorBaseline: {
      expect: 'blocked',
      why: 'no container networking inside the sandbox here (--network=none)',
    },
    run: async ({ d, name }) => reach(d, name('a'), name('b')),
  },
  {
    id: 'net-undeclared',
    title: 'reaches a container on a network it did not declare',
    how: '`a` sends to `d:8080` by IP address (and so also not by name); `d` is on the c->d link only',
    gvisor: { expect: 'blocked', why: 'no container networking inside the sandbox (--network=none)' },
    gvisorBaseline: { expect: 'blocked', why: 'no container networking inside the sandbox (--network=none)' },
    run: async ({ d, name }) => {
      const info = await d.inspect(name('d'));
      const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
      if (!ip) return cell('error', 'd has no IP address');
      return reach(d, name('a'), ip);
    },
  },
];

async function reach(d: Deployment, from: string, to: string): Promise<Cell> {
  const r = await d.exec(from, ['sh', '-c', `echo ping | nc -w 2 ${to} ${SERVER_PORT}`], {
    timeoutMs: 10_000,
  });
  if (r.stdout.trim() === 'pong') return cell('allowed', `${to}: pong`);
  return cell('blocked', `${to}: ${said(r)}`);
}

/** The control for `removed-syscall`: the same call succeeds under the component's default profile. */
export async function removedSyscallControl(ctx: ProbeContext): Promise<ExecResult> {
  return ctx.d.exec(ctx.name('a'), ['linux32', 'true']);
}

export { nameOf };
