/**
 * The helpers every rule shares (src/rules/support/), tested directly: the rule tests reach them
 * only through the compliant fixture's fields, and mutation testing showed the edges they leave.
 */
import { UNKNOWN } from '../../src/model/value.js';
import { capDrops, describeCap } from '../../src/rules/support/capabilities.js';
import { hostSources, normalizeHostPath } from '../../src/rules/support/host-sources.js';
import { entries, entry, items } from '../../src/rules/support/lists.js';
import { attachments, ports, publishes } from '../../src/rules/support/network.js';
import { about, collect, expressGap, resourceKind } from '../../src/rules/support/outcomes.js';
import { forbidSecurityOpt, securityOpts } from '../../src/rules/support/security-opts.js';
import { sharingParses } from '../../src/rules/support/shared.js';
import { parseUser, ulimit } from '../../src/rules/support/user.js';
import { fail, pass, unknown } from '../../src/rules/types.js';
import { container } from './helpers.js';

// Specs built here hold values the spec types forbid on purpose (adversarial or unknown entries).
const odd = (v: unknown) => v as never;

describe('items', () => {
  it('is empty for an absent list and unknown for an unknown or non-list value', () => {
    expect(items(undefined)).toEqual([]);
    expect(items(odd(UNKNOWN))).toBe('unknown');
    expect(items(odd('a,b'))).toBe('unknown');
  });

  it('marks unknown and missing entries as not known, keeping their indexes', () => {
    expect(items(odd(['a', UNKNOWN, undefined]))).toEqual([
      { index: 0, value: 'a', known: true },
      { index: 1, known: false },
      { index: 2, known: false },
    ]);
  });
});

describe('parses shared within one evaluation', () => {
  it('parses afresh on every call outside an evaluation, so a changed spec is read again', () => {
    const spec = container({ securityOpt: ['no-new-privileges:true'] });
    const first = securityOpts(spec);
    expect(securityOpts(spec)).not.toBe(first);
    spec.securityOpt = ['apparmor=unconfined'];
    expect(securityOpts(spec)).toEqual({
      opts: [{ index: 0, key: 'apparmor', value: 'unconfined' }],
      unknownAt: [],
    });
  });

  it('parses a spec once within an evaluation and again in the next one', () => {
    const spec = container({ securityOpt: ['no-new-privileges:true'] });
    const inFirst = sharingParses(() => {
      const a = securityOpts(spec);
      expect(securityOpts(spec)).toBe(a);
      return a;
    });
    spec.securityOpt = ['seccomp=unconfined'];
    const inSecond = sharingParses(() => securityOpts(spec));
    expect(inSecond).not.toBe(inFirst);
    expect(inSecond).toEqual({ opts: [{ index: 0, key: 'seccomp', value: 'unconfined' }], unknownAt: [] });
    // After the evaluations, calls parse afresh again.
    expect(securityOpts(spec)).not.toBe(securityOpts(spec));
  });

  it('keeps every spec’s attachments for the whole evaluation (stack rules come back to them)', () => {
    const a = container({ networks: [{ name: 'front' }] });
    const b = container({ networks: [{ name: 'back' }] });
    sharingParses(() => {
      const first = attachments(a);
      attachments(b);
      expect(attachments(a)).toBe(first);
    });
    expect(attachments(a)).not.toBe(attachments(a));
  });

  it('starts each evaluation with a fresh cache of attachments', () => {
    const a = container({ networks: [{ name: 'front' }] });
    sharingParses(() => attachments(a));
    a.networks = [{ name: 'back' }];
    expect(sharingParses(() => attachments(a))).toEqual([{ name: 'back', path: 'networks[0]', aliases: [] }]);
  });
});

describe('securityOpts', () => {
  it('trims entries and reads key=value and key:value', () => {
    const spec = container({ securityOpt: [' no-new-privileges ', 'seccomp : unconfined', 'label=disable'] });
    expect(securityOpts(spec)).toEqual({
      opts: [
        { index: 0, key: 'no-new-privileges', value: '' },
        { index: 1, key: 'seccomp', value: 'unconfined' },
        { index: 2, key: 'label', value: 'disable' },
      ],
      unknownAt: [],
    });
  });

  it('does not find an option in the middle of a malformed entry', () => {
    const parsed = securityOpts(container({ securityOpt: ['x apparmor=unconfined'] }));
    expect(parsed).toEqual({ opts: [{ index: 0, key: 'x apparmor=unconfined', value: '' }], unknownAt: [] });
  });

  it('passes every check on a resource type without security options', () => {
    const spec = container({ securityOpt: ['apparmor=unconfined'] }, ['securityOpt']);
    expect(forbidSecurityOpt(spec, () => 'always bad')).toEqual(pass());
  });
});

describe('collect, about, describeCap, resourceKind', () => {
  it('turns no outcomes into a pass', () => {
    expect(collect([])).toEqual(pass());
    expect(collect([unknown('x')])).toEqual([unknown('x')]);
  });

  it('attaches the resource to a stack outcome, and drops passes', () => {
    const spec = container();
    expect(about(spec, pass())).toEqual([]);
    expect(about(spec, fail('ports', 'publishes'))).toEqual([
      { ...fail('ports', 'publishes'), resource: spec },
    ]);
  });

  it('names unknown capabilities generically', () => {
    expect(describeCap('SYS_ADMIN')).toBe('capability SYS_ADMIN');
    expect(describeCap('NOT_A_CAP')).toBe('an unrecognized capability');
  });

  it('names a non-service resource type that lacks a setting plainly', () => {
    const spec = container({}, ['securityOpt']);
    spec.source = { ...spec.source, type: 'custom:index:Runner' };
    expect(resourceKind(spec)).toBe('this resource type');
    expect(expressGap(spec, 'securityOpt', 'security options')).toMatchObject({
      status: 'fail',
      path: 'securityOpt',
      message: expect.stringMatching(/^this resource type cannot set security options;/),
    });
    expect(expressGap(container(), 'securityOpt', 'security options')).toBeUndefined();
    expect(resourceKind(container({}, ['securityOpt']))).toBe('a swarm service');
  });
});

describe('entries and entry', () => {
  it('is unknown for an unknown, non-object or list map', () => {
    expect(entries(odd(UNKNOWN))).toBe('unknown');
    expect(entries(odd('a=b'))).toBe('unknown');
    expect(entries(odd(['a']))).toBe('unknown');
    expect(entries(undefined)).toEqual([]);
  });

  it('marks unknown values and gives one key’s state', () => {
    const map = odd({ size: '64m', mode: UNKNOWN, uid: undefined });
    expect(entries(map)).toEqual([
      { key: 'size', value: '64m', known: true },
      { key: 'mode', known: false },
      { key: 'uid', known: false },
    ]);
    expect(entry(map, 'size')).toEqual({ state: 'known', value: '64m' });
    expect(entry(map, 'mode')).toEqual({ state: 'unknown' });
    expect(entry(map, 'uid')).toEqual({ state: 'unknown' });
    expect(entry(map, 'gid')).toEqual({ state: 'absent' });
    expect(entry(odd(UNKNOWN), 'size')).toEqual({ state: 'unknown' });
  });
});

describe('normalizeHostPath', () => {
  it.each([
    [' /var//run/./x/../docker.sock ', '/var/run/docker.sock'],
    ['/etc/', '/etc'],
    ['/srv/app/../../etc', '/etc'],
    ['/', '/'],
    ['/..', '/'],
  ])('resolves %j to %j', (raw, want) => {
    expect(normalizeHostPath(raw)).toBe(want);
  });

  it('leaves relative names and Windows pipes as written (trimmed)', () => {
    expect(normalizeHostPath(' data/ ')).toBe('data/');
    expect(normalizeHostPath('\\\\.\\pipe\\docker_engine')).toBe('\\\\.\\pipe\\docker_engine');
  });
});

describe('parseUser', () => {
  it('treats an empty or blank user as absent and an unknown one as unknown', () => {
    expect(parseUser(undefined)).toEqual({ state: 'absent' });
    expect(parseUser('  ')).toEqual({ state: 'absent' });
    expect(parseUser(odd(UNKNOWN))).toEqual({ state: 'unknown' });
  });

  it('splits and trims uid and gid', () => {
    expect(parseUser(' 10001 : 10002 ')).toEqual({
      state: 'known',
      user: '10001',
      group: '10002',
      uid: 10001,
      gid: 10002,
      root: false,
    });
  });

  it.each(['0', '0:1000', 'root', 'ROOT:wheel'])('sees root in %j', (u) => {
    expect(parseUser(u)).toMatchObject({ state: 'known', root: true });
  });

  it('reads a number only when the whole part is one', () => {
    expect(parseUser('x1000:g1000')).toEqual({ state: 'known', user: 'x1000', group: 'g1000', root: false });
    expect(parseUser('1000x:1000g')).toEqual({ state: 'known', user: '1000x', group: '1000g', root: false });
    expect(parseUser('app')).toStrictEqual({ state: 'known', user: 'app', root: false });
    expect(parseUser(':1000')).toStrictEqual({
      state: 'known',
      user: '',
      group: '1000',
      gid: 1000,
      root: false,
    });
  });
});

describe('capDrops', () => {
  it('normalizes names and keeps the indexes of unknown entries', () => {
    expect(capDrops(container({ capDrop: odd([' cap_net_raw', UNKNOWN, 'ALL']) }))).toEqual({
      caps: [
        { index: 0, name: 'NET_RAW' },
        { index: 2, name: 'ALL' },
      ],
      unknownAt: [1],
    });
    expect(capDrops(container({ capDrop: odd(UNKNOWN) }))).toBe('unknown');
    expect(capDrops(container({ capDrop: undefined }))).toEqual({ caps: [], unknownAt: [] });
  });
});

describe('ulimit', () => {
  const lim = (name: string, soft: unknown, hard: unknown) => ({ name, soft, hard });
  const spec = (list: unknown) => container({ ulimits: odd(list) });

  it('finds the last entry of the name, with its index', () => {
    expect(
      ulimit(spec([lim('nproc', 64, 64), lim('nofile', 10, 10), lim('NOFILE ', 1024, 2048)]), 'nofile'),
    ).toEqual({
      state: 'set',
      index: 2,
    });
  });

  it('calls a zero or negative soft or hard bound unbounded', () => {
    expect(ulimit(spec([lim('nofile', 1024, 0)]), 'nofile')).toEqual({ state: 'unbounded', index: 0 });
    expect(ulimit(spec([lim('nofile', 0, 1024)]), 'nofile')).toEqual({ state: 'unbounded', index: 0 });
    expect(ulimit(spec([lim('nofile', -1, -1)]), 'nofile')).toEqual({ state: 'unbounded', index: 0 });
  });

  it('is missing without an entry of the name and unknown when one could be it', () => {
    expect(ulimit(container({ ulimits: undefined }), 'nofile')).toEqual({ state: 'missing' });
    expect(ulimit(spec([lim('nproc', 1, 1)]), 'nofile')).toEqual({ state: 'missing' });
    expect(ulimit(spec([null, lim('nproc', 1, 1)]), 'nofile')).toEqual({ state: 'unknown' });
    expect(ulimit(spec([UNKNOWN]), 'nofile')).toEqual({ state: 'unknown' });
    expect(ulimit(spec(UNKNOWN), 'nofile')).toEqual({ state: 'unknown' });
  });

  it('is unknown when the entry of the name has an unknown bound', () => {
    expect(ulimit(spec([lim('nofile', UNKNOWN, 1024)]), 'nofile')).toEqual({ state: 'unknown' });
    expect(ulimit(spec([lim('nofile', 1024, UNKNOWN)]), 'nofile')).toEqual({ state: 'unknown' });
  });

  it('keeps a set entry when a later entry’s name is unknown', () => {
    expect(ulimit(spec([lim('nofile', 1024, 1024), { name: UNKNOWN, soft: 1, hard: 1 }]), 'nofile')).toEqual({
      state: 'set',
      index: 0,
    });
  });
});

describe('hostSources', () => {
  const mounts = (list: unknown) => hostSources(container({ mounts: odd(list) }));

  it('is empty without mounts and unknown for an unknown list', () => {
    expect(hostSources(container({ mounts: undefined }))).toEqual([]);
    expect(mounts(UNKNOWN)).toBe('unknown');
  });

  it('reads binds and named pipes, normalized, with their read-only state', () => {
    expect(
      mounts([
        { type: 'bind', source: '/srv//data/', target: '/data', readOnly: true },
        { type: 'NPIPE', source: '\\\\.\\pipe\\docker_engine', target: '/p' },
        { type: 'volume', source: 'data', target: '/v' },
        { type: 'tmpfs', target: '/tmp' },
        { source: ' /var/run/docker.sock', target: '/s', readOnly: UNKNOWN },
        { source: 'named', target: '/n' },
      ]),
    ).toEqual([
      { index: 0, state: 'host', path: '/srv/data', readOnly: true },
      { index: 1, state: 'host', path: '\\\\.\\pipe\\docker_engine', readOnly: false },
      { index: 4, state: 'host', path: '/var/run/docker.sock', readOnly: 'unknown' },
    ]);
  });

  it('is unknown for an entry that could be a bind whose source is not known', () => {
    expect(
      mounts([
        null,
        { type: 'bind', source: UNKNOWN, target: '/a' },
        { source: UNKNOWN, target: '/b' },
        { type: UNKNOWN, target: '/c' },
        { type: 'bind', target: '/d' },
        { type: 'volume', source: UNKNOWN, target: '/e' },
      ]),
    ).toEqual([
      { index: 0, state: 'unknown' },
      { index: 1, state: 'unknown' },
      { index: 2, state: 'unknown' },
      { index: 3, state: 'unknown' },
    ]);
  });
});

describe('ports and publishes', () => {
  it('lists ports, marking entries that are not known', () => {
    expect(ports(container({ ports: undefined }))).toEqual([]);
    expect(ports(container({ ports: odd(UNKNOWN) }))).toBe('unknown');
    expect(ports(container({ ports: odd([{ internal: 80 }, null, UNKNOWN]) }))).toEqual([
      { index: 0, internal: 80 },
      { index: 1, unknown: true },
      { index: 2, unknown: true },
    ]);
  });

  it('says whether, and where, a container publishes', () => {
    expect(publishes(container({ ports: undefined, publishAllPorts: undefined }))).toEqual({ state: 'no' });
    expect(publishes(container({ ports: [], publishAllPorts: false }))).toEqual({ state: 'no' });
    expect(publishes(container({ ports: odd([{ internal: 80 }]) }))).toEqual({ state: 'yes', at: 'ports' });
    expect(publishes(container({ ports: odd(UNKNOWN) }))).toEqual({ state: 'unknown', at: 'ports' });
    expect(publishes(container({ ports: odd(UNKNOWN), publishAllPorts: true }))).toEqual({
      state: 'yes',
      at: 'publishAllPorts',
    });
    expect(publishes(container({ ports: undefined, publishAllPorts: odd(UNKNOWN) }))).toEqual({
      state: 'unknown',
      at: 'publishAllPorts',
    });
  });
});

describe('attachments', () => {
  const of = (o: Parameters<typeof container>[0]) => attachments(container({ networks: undefined, ...o }));

  it('reads a network named by the mode, trimmed, and skips built-in and container modes', () => {
    expect(of({ networkMode: ' backend ' })).toEqual([{ name: 'backend', path: 'networkMode', aliases: [] }]);
    for (const mode of ['bridge', 'HOST', 'none', 'default', 'container:db', 'Container:db']) {
      expect(of({ networkMode: mode })).toEqual([]);
    }
    expect(of({ networkMode: odd(UNKNOWN) })).toBe('unknown');
  });

  it('reads user-defined networks with their known aliases', () => {
    expect(
      of({
        networks: odd([
          { name: ' back ', aliases: ['api', UNKNOWN, undefined] },
          { name: 'Bridge' },
          null,
          { name: UNKNOWN },
          { name: 'front', aliases: UNKNOWN },
        ]),
      }),
    ).toEqual([
      { name: 'back', path: 'networks[0]', aliases: ['api'] },
      { name: undefined, path: 'networks[2]', aliases: [] },
      { name: undefined, path: 'networks[3]', aliases: [] },
      { name: 'front', path: 'networks[4]', aliases: [] },
    ]);
    expect(of({ networks: odd(UNKNOWN) })).toBe('unknown');
  });
});
