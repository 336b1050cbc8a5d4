import fc from 'fast-check';
import type { ContainerSpec } from '../../src/model/spec.js';
import { UNKNOWN } from '../../src/model/value.js';
import { sharedNetworkNeedsLink } from '../../src/rules/shared-network-needs-link.js';
import { describeStackRule } from '../../src/testing/jest.js';
import { stackExampleMutation } from '../../src/testing/kit.js';
import { net, rule, stack, summary, svc } from '../support/stack.js';

describeStackRule(sharedNetworkNeedsLink, { mutations: [stackExampleMutation(sharedNetworkNeedsLink)] });

describe('shared-network-needs-link', () => {
  const id = 'shared-network-needs-link';
  it('fails once per container on a shared network, naming its unlinked peers', () => {
    expect(summary(id, stack())).toEqual([
      [
        'fail',
        'api',
        'networks[1]',
        'shares a network with 1 container without a declared link either way: "worker"',
      ],
      [
        'fail',
        'db',
        'networks[0]',
        'shares a network with 1 container without a declared link either way: "worker"',
      ],
      [
        'fail',
        'worker',
        'networks[0]',
        'shares a network with 2 containers without a declared link either way: "api", "db"',
      ],
    ]);
  });
  it('accepts a link declared by either side, by name or network alias, with or without a port', () => {
    const s = stack();
    s.containers[3]!.links = ['postgres', 'api:9000'];
    expect(summary(id, s)).toEqual([]);
  });
  it('is unknown for both sides of a pair when the declared links of one are unknown', () => {
    const s = stack();
    s.containers[3]!.links = UNKNOWN;
    expect(summary(id, s).map((r) => r.slice(0, 3))).toEqual([
      ['unknown', 'api', 'networks[1]'],
      ['unknown', 'db', 'networks[0]'],
      ['unknown', 'worker', 'networks[0]'],
    ]);
  });
  it('is unknown for a container whose network is not known yet', () => {
    const s = stack();
    s.containers[3]!.networks = [{ name: UNKNOWN }];
    expect(summary(id, s).map((r) => r.slice(0, 3))).toEqual([['unknown', 'worker', 'networks[0]']]);
  });
  it('ignores the built-in networks (isolated-network covers them)', () => {
    const a = svc('a', { networks: [{ name: 'bridge' }] });
    const b = svc('b', { networks: [{ name: 'bridge' }] });
    expect(summary(id, { containers: [a, b], networks: [] })).toEqual([]);
  });
  it('accepts a declared link written with blanks around it', () => {
    const s = stack();
    s.containers[3]!.links = [' postgres ', ' api:9000 '];
    expect(summary(id, s)).toEqual([]);
  });
  it('is unknown, saying why, for a container with unknown links; its peers count that pair as undecided', () => {
    const s = stack();
    s.containers[2]!.links = UNKNOWN; // db
    expect(summary(id, s)).toEqual([
      [
        'fail',
        'api',
        'networks[1]',
        'shares a network with 1 container without a declared link either way: "worker"',
      ],
      ['unknown', 'db', 'networks[0]', 'the declared links are not known yet'],
      [
        'fail',
        'worker',
        'networks[0]',
        'shares a network with 1 container without a declared link either way: "api" (and 1 whose links are not known yet)',
      ],
    ]);
  });
  it('does not pair a container with itself when it joins one network twice', () => {
    const a = svc('a', { networks: [{ name: 'solo' }, { name: 'solo', aliases: ['a2'] }] });
    expect(summary(id, { containers: [a], networks: [net('solo', true)] })).toEqual([]);
  });
  it('is unknown for a container whose network list is not known yet', () => {
    const s = stack();
    s.containers[3]!.networks = UNKNOWN;
    expect(summary(id, s).map((r) => r.slice(0, 3))).toEqual([['unknown', 'worker', 'networks']]);
  });
});

describe('stack rules: the rarer inputs', () => {
  it('shared-network-needs-link: an unknown entry among the links makes the pair unknown', () => {
    const s = stack();
    s.containers[3]!.links = ['cache', UNKNOWN];
    expect(summary('shared-network-needs-link', s).map((r) => r.slice(0, 3))).toEqual([
      ['unknown', 'api', 'networks[1]'],
      ['unknown', 'db', 'networks[0]'],
      ['unknown', 'worker', 'networks[0]'],
    ]);
  });
});

describe('shared-network-needs-link: one finding per container, whatever the stack size', () => {
  const id = 'shared-network-needs-link';
  const onOneNetwork = (n: number, links: (i: number) => string[] = () => []) =>
    Array.from({ length: n }, (_, i) => svc(`c${i}`, { networks: [{ name: 'shared' }], links: links(i) }));

  it('gives 1,000 unlinked containers on one network 1,000 findings, each naming 5 peers and counting the rest', () => {
    const out = rule(id).check({ containers: onOneNetwork(1000), networks: [net('shared', true)] });
    expect(out).toHaveLength(1000);
    expect(new Set(out.map((o) => o.resource.source.name)).size).toBe(1000);
    expect(out[0]!.message).toBe(
      'shares a network with 999 containers without a declared link either way: "c1", "c2", "c3", "c4", "c5" and 994 more',
    );
    expect(out[999]!.message).toContain('"c0", "c1", "c2", "c3", "c4" and 994 more');
  });
  it('names only the peers left unlinked when a container links to most of them', () => {
    // c0 links to c1..c997: only c998 and c999 are left, and every other container is linked to c0.
    const containers = onOneNetwork(1000, (i) =>
      i === 0 ? Array.from({ length: 997 }, (_, k) => `c${k + 1}`) : [],
    );
    const out = rule(id).check({ containers, networks: [] });
    expect(out).toHaveLength(1000);
    expect(out[0]!.message).toBe(
      'shares a network with 2 containers without a declared link either way: "c998", "c999"',
    );
  });
  it('counts a link to a URN (a Pulumi dependency) as a declared link', () => {
    const [a, b] = onOneNetwork(2);
    a!.links = [b!.source.urn!];
    expect(rule(id).check({ containers: [a!, b!], networks: [] })).toEqual([]);
  });
  it('agrees with judging every pair (by container: fail, unknown or nothing)', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const arbContainer = fc.record({
      nets: fc.subarray(['n1', 'n2']),
      links: fc.oneof(
        fc.constant<'unknown'>('unknown'),
        fc.subarray(names).map((l) => l as (string | typeof UNKNOWN)[]),
        fc.subarray(names).map((l) => [...l, UNKNOWN]),
      ),
    });
    fc.assert(
      fc.property(fc.array(arbContainer, { minLength: 1, maxLength: names.length }), (specs) => {
        const containers = specs.map((s, i) =>
          svc(names[i]!, {
            networks: s.nets.map((name) => ({ name })),
            links: s.links === 'unknown' ? UNKNOWN : s.links,
          }),
        );
        const declares = (x: number, y: number): boolean | 'unknown' => {
          const l = specs[x]!.links;
          if (l === 'unknown') return 'unknown';
          if (l.includes(names[y]!)) return true;
          return l.includes(UNKNOWN) ? 'unknown' : false;
        };
        const expected: string[] = [];
        for (const n of ['n1', 'n2']) {
          for (let x = 0; x < specs.length; x++) {
            if (!specs[x]!.nets.includes(n)) continue;
            let fails = 0;
            let unknowns = 0;
            for (let y = 0; y < specs.length; y++) {
              if (y === x || !specs[y]!.nets.includes(n)) continue;
              const xy = declares(x, y);
              const yx = declares(y, x);
              if (xy === true || yx === true) continue;
              if (xy === 'unknown' || yx === 'unknown') unknowns++;
              else fails++;
            }
            if (fails > 0) expected.push(`fail ${names[x]} ${n}`);
            else if (unknowns > 0) expected.push(`unknown ${names[x]} ${n}`);
          }
        }
        const got = rule(id)
          .check({ containers, networks: [] })
          .map((o) => {
            const net = (o.resource as ContainerSpec).networks as { name: string }[];
            const at = Number(/\[(\d+)\]/.exec(o.path)![1]);
            return `${o.status} ${o.resource.source.name} ${net[at]!.name}`;
          });
        expect(got.sort()).toEqual(expected.sort());
      }),
    );
  });
});
