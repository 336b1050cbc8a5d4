/**
 * Fail closed on Pulumi values that are present but cannot be read (`privileged: "yes"`,
 * `memory: "lots"`): a finding at such a path fails and names it; unknown stays only for values
 * Pulumi has not computed yet.
 */
import fc from 'fast-check';
import {
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
} from '../../src/adapters/index.js';
import { CONTAINER_KINDS, NETWORK_KINDS } from '../../src/adapters/pulumi/kinds.js';
import { UNKNOWN_SENTINELS } from '../../src/adapters/read.js';
import type { Finding } from '../../src/index.js';
import { evaluate } from '../../src/index.js';

type Kind = (typeof CONTAINER_KINDS)[string];

/** A value of any JSON kind but `kind` (nor null, which means absent). */
function wrongFor(kind: Kind): fc.Arbitrary<unknown> {
  const any = fc.oneof(
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }).filter((s) => !UNKNOWN_SENTINELS.has(s)),
    fc.constantFrom('yes', 'on', '1', 'lots', '0.5'),
    fc.array(fc.oneof(fc.boolean(), fc.integer(), fc.constant({})), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  );
  return any.filter((v) => {
    switch (kind) {
      case 'boolean':
        return typeof v !== 'boolean';
      case 'number':
        return typeof v !== 'number';
      case 'string':
        return typeof v !== 'string';
      case 'cpus':
        return !(typeof v === 'string' && /^\d+(\.\d+)?$/.test(v));
      case 'strings':
        return !(Array.isArray(v) && v.every((x) => typeof x === 'string'));
      case 'mapping':
        return typeof v !== 'object' || v === null || Array.isArray(v);
      case 'mappings':
        return !(
          Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))
        );
      default:
        return true;
    }
  });
}

/** `props` with `value` at the dotted source path (`capabilities.adds`; `ports[].internal` as item 0). */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const props: Record<string, unknown> = { image: 'nginx:1' };
  let node = props;
  const segments = path.split('.');
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg.endsWith('[]')) {
      const item: Record<string, unknown> = {};
      node[seg.slice(0, -2)] = [item];
      node = item;
    } else if (last) node[seg] = value;
    else {
      const next: Record<string, unknown> = {};
      node[seg] = next;
      node = next;
    }
  });
  return props;
}

const concrete = (path: string) => path.replaceAll('[]', '[0]');
const around = (f: Finding, path: string) =>
  f.path === path ||
  f.path.startsWith(`${path}.`) ||
  f.path.startsWith(`${path}[`) ||
  path.startsWith(`${f.path}.`);

describe('Pulumi values present but unreadable fail closed', () => {
  it.each([
    ['privileged', 'yes', 'no-privileged'],
    ['privileged', 1, 'no-privileged'],
    ['readOnly', 'on', 'read-only-rootfs'],
    ['memory', 'lots', 'memory-limit'],
    ['cpus', 'lots', 'cpu-limit'],
    ['user', 0, 'non-root-user'],
    ['capabilities.drops', 'ALL', 'drop-all-capabilities'],
  ])('%s: %j fails %s, naming the field path and not the value', (path, value, rule) => {
    const spec = fromPulumiContainerArgs(withValue(path, value));
    const f = evaluate({ containers: [spec], networks: [] }, { only: [rule] }).findings;
    expect(f).toEqual([
      expect.objectContaining({
        ruleId: rule,
        status: 'fail',
        path,
        message: expect.stringContaining(`${path} is set but is not`),
      }),
    ]);
    if (typeof value === 'string') expect(f[0]!.message).not.toContain(value);
  });

  it('no finding stays unknown at a container input of the wrong kind; each one there fails (property over fields and value kinds)', () => {
    const fields = Object.entries(CONTAINER_KINDS);
    fc.assert(
      fc.property(
        fc.constantFrom(...fields).chain(([path, kind]) => fc.tuple(fc.constant(path), wrongFor(kind))),
        ([path, value]) => {
          const spec = fromPulumiContainerArgs(withValue(path, value));
          const at = concrete(path);
          expect(spec.source.unreadable?.get(at)).toBeDefined();
          for (const f of evaluate({ containers: [spec], networks: [] }).findings) {
            if (around(f, at)) expect([f.ruleId, f.status]).toEqual([f.ruleId, 'fail']);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('network inputs of the wrong kind fail too (property)', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...Object.entries(NETWORK_KINDS))
          .chain(([path, kind]) => fc.tuple(fc.constant(path), wrongFor(kind))),
        ([path, value]) => {
          const spec = fromPulumiNetworkArgs({ name: 'n', [path]: value });
          expect(spec.source.unreadable?.get(path)).toBeDefined();
          for (const f of evaluate({ containers: [], networks: [spec] }).findings)
            if (around(f, path)) expect(f.status).toBe('fail');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('values Pulumi has not computed stay unknown (sentinels, mocks, secrets of unknown content)', () => {
    const sentinel = [...UNKNOWN_SENTINELS][0]!;
    for (const privileged of [sentinel, { __pulumiUnknown: true }]) {
      const set = fromPulumiResources([
        { type: 'docker:index/container:Container', name: 'c', props: { image: 'nginx:1', privileged } },
      ]);
      expect(set.containers[0]!.source.unreadable).toBeUndefined();
      expect(evaluate(set, { only: ['no-privileged'] }).findings.map((f) => f.status)).toEqual(['unknown']);
    }
  });

  it('values of the right kind are not flagged', () => {
    const spec = fromPulumiContainerArgs({
      image: 'nginx:1',
      privileged: false,
      memory: 256,
      cpus: '0.5',
      capabilities: { drops: ['ALL'] },
      ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }],
      envs: ['A=1'],
    });
    expect(spec.source.unreadable).toBeUndefined();
  });
});
