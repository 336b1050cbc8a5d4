import fc from 'fast-check';
import { evaluate } from '../../src/evaluation/evaluate.js';
import type { MountSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import { noSensitiveMounts, sensitiveMountSeverity } from '../../src/rules/no-sensitive-mounts.js';
import { normalizeHostPath } from '../../src/rules/support/host-sources.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { bind, container, expectFail, expectPass, expectUnknown, outcomes } from './helpers.js';

describeRule(noSensitiveMounts, {
  mutations: [
    exampleMutation(noSensitiveMounts),
    {
      name: 'fails a read-write /etc/shadow as critical',
      set: { mounts: [{ type: 'bind', source: '/etc/shadow', target: '/x' }] },
      fails: 'mounts[0].source',
      severity: 'critical',
    },
  ],
});

const id = 'no-sensitive-mounts';
const gradedBind = (source: string, readOnly: boolean): MountSpec => ({
  type: 'bind',
  source,
  target: '/data',
  readOnly,
});
const severityOf = (source: string, readOnly: boolean) =>
  outcomes(id, container({ mounts: [gradedBind(source, readOnly)] })).map((o) => [o.status, o.severity]);

describe('no-sensitive-mounts', () => {
  const id = 'no-sensitive-mounts';
  it('passes the compliant fixture and application binds', () => {
    expectPass(id, container());
    expectPass(id, container({ mounts: [bind('/srv/data'), bind('/etc/ssl/certs'), bind('/var/lib/app')] }));
  });
  it.each([
    '/',
    '/etc',
    '/etc/',
    '/proc',
    '/sys/fs/cgroup',
    '/boot',
    '/usr',
    '/dev',
    '/var/lib/docker/volumes',
    '/root/.ssh',
    '/etc/shadow',
  ])('fails when a bind mounts %s', (source) => {
    const [msg] = expectFail(
      id,
      container({ mounts: [bind(source, { readOnly: false })] }),
      'mounts[0].source',
    );
    expect(msg).toBe('mounts a sensitive host directory read-write');
  });
  it('still fails a read-only sensitive mount, saying so without the path', () => {
    const [msg] = expectFail(id, container({ mounts: [bind('/etc')] }), 'mounts[0].source');
    expect(msg).toBe('mounts a sensitive host directory');
  });
  it('is unknown when a source is unknown', () =>
    expectUnknown(id, container({ mounts: [bind('x', { source: UNKNOWN })] }), 'mounts[0]'));
});

describe('no-sensitive-mounts: subdirectories of system directories, graded', () => {
  it.each([
    ['/', 'critical', 'critical'],
    ['/etc', 'critical', 'critical'],
    ['/etc/shadow', 'critical', 'critical'],
    ['/etc/sudoers.d/90-cloud-init', 'critical', 'critical'],
    ['/etc/ssh/ssh_host_ed25519_key', 'critical', 'critical'],
    ['/root/.ssh', 'critical', 'critical'],
    ['/var/lib/docker/volumes/x/_data', 'critical', 'critical'],
    ['/var/lib/kubelet/pods', 'critical', 'critical'],
    ['/var/spool/cron/crontabs', 'critical', 'critical'],
    ['/proc', 'high', 'critical'],
    ['/proc/sys/kernel', 'high', 'critical'],
    ['/sys/fs/cgroup', 'high', 'critical'],
    ['/dev/mem', 'high', 'critical'],
    ['/boot/grub', 'high', 'critical'],
    ['/lib/modules', 'high', 'critical'],
    ['/lib/modules/6.1.0/kernel', 'high', 'critical'],
    ['/etc/nginx', 'medium', 'high'],
    ['/etc/passwd', 'medium', 'high'],
    ['/usr/local/bin', 'medium', 'high'],
    ['/bin', 'medium', 'high'],
    ['/lib64/ld-linux-x86-64.so.2', 'medium', 'high'],
    ['/var/log/nginx', 'medium', 'high'],
    ['/var', 'medium', 'high'],
    ['/var/lib', 'medium', 'high'],
  ])('grades a bind of %s: %s read-only, %s read-write', (source, ro, rw) => {
    expect(severityOf(source, true)).toEqual([['fail', ro]]);
    expect(severityOf(source, false)).toEqual([['fail', rw]]);
  });
  it.each(['/etc/localtime', '/etc/timezone', '/usr/share/zoneinfo/Europe/Paris', '/etc/ssl/certs'])(
    'allows public data %s read-only, and fails it read-write (high)',
    (source) => {
      expectPass(id, container({ mounts: [gradedBind(source, true)] }));
      expect(severityOf(source, false)).toEqual([['fail', 'high']]);
    },
  );
  it.each([
    '/srv/app',
    '/var/lib/app',
    '/home/app/data',
    '/opt/app',
    '/mnt/data',
    '/etcetera',
    '/procfs',
    '/var/logs',
  ])('leaves %s alone (not a system directory, nor below one)', (source) =>
    expectPass(id, container({ mounts: [gradedBind(source, false)] })),
  );
  it("carries a finding's grade into the report and its summary", () => {
    const spec = container({ mounts: [gradedBind('/etc/shadow', true), gradedBind('/etc/nginx', true)] });
    const report = evaluate({ containers: [spec], networks: [] }, { only: [id] });
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'medium']);
    expect(report.summary.failBySeverity).toMatchObject({ critical: 1, medium: 1, high: 0 });
  });
});

describe('no-sensitive-mounts: path spelling does not escape the check', () => {
  const sensitive = [
    '/',
    '/etc',
    '/etc/shadow',
    '/etc/nginx',
    '/proc/sys',
    '/sys',
    '/lib/modules',
    '/var/lib/docker',
    '/root/.ssh',
    '/usr/bin',
    '/boot',
  ];
  const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
  /** Spells a canonical absolute path another way that resolves to it. */
  const respell = (path: string) =>
    fc
      .record({
        extra: fc.array(segment, { maxLength: 3 }),
        noise: fc.array(fc.constantFrom('//', '/./', '/x/../', '/'), { minLength: 1, maxLength: 5 }),
        at: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        trailing: fc.constantFrom('', '/', '//', '/.', '/./'),
        climb: fc.boolean(),
      })
      .map(({ extra, noise, at, trailing, climb }) => {
        const canonical = [path === '/' ? '' : path, ...extra].join('/') || '/';
        const parts = canonical.split('/');
        for (let i = 0; i < noise.length; i++) {
          const k = 1 + (at[i % at.length]! % Math.max(1, parts.length - 1));
          parts[k] = `${noise[i]!.replace(/^\//, '')}${parts[k] ?? ''}`;
        }
        const spelled = `${climb ? '/../..' : ''}${parts.join('/')}${trailing}`;
        return { canonical, spelled };
      });

  it('normalizes // . .. and trailing slashes to the canonical path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sensitive).chain(respell),
        ({ canonical, spelled }) => normalizeHostPath(spelled) === canonical,
      ),
    );
  });
  it('grades every spelling of a path below a system directory like the path itself, never as allowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sensitive).chain(respell),
        fc.boolean(),
        ({ canonical, spelled }, ro) => {
          const expected = sensitiveMountSeverity(canonical, ro);
          const got = outcomes(id, container({ mounts: [gradedBind(spelled, ro)] }));
          if (expected === undefined) return got.length === 0;
          return got.length === 1 && got[0]!.status === 'fail' && got[0]!.severity === expected;
        },
      ),
    );
  });
  it('judges a subdirectory at least as sensitive as read-write access to its system directory allows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sensitive.filter((p) => p !== '/')),
        fc.array(segment, { maxLength: 4 }),
        (base, extra) => {
          const below = [base, ...extra].join('/');
          return sensitiveMountSeverity(below, false) !== undefined;
        },
      ),
    );
  });
});
