/**
 * Property tests over the adapters and the engine: arbitrary input never makes them throw
 * anything but InputError, results do not depend on the order of object keys, and malformed
 * compose text is reported with a line. The default of 200 runs keeps the suite fast; for a long
 * run: `npm run test:property` (FC_NUM_RUNS=100000). Last long run: 2026-11-23, all 13 properties
 * held at 100,000 runs each, 48 minutes on 2 shared cores.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  fromCompose,
  fromDockerInspect,
  fromPreviewJson,
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
  fromPulumiServiceArgs,
  fromStackExport,
  PULUMI_TYPES,
  parseInputFile,
} from '../src/adapters/index.js';
import { evaluate, InputError } from '../src/index.js';
import type { ContainerSpec, ResourceSet } from '../src/model/spec.js';
import { isSecret, isUnknown } from '../src/model/value.js';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200);
const params = { numRuns };
// Small values find the same bugs as big ones here, and keep YAML generation and parsing fast.
fc.configureGlobal({ baseSize: 'small' });
// Long runs need more than jest's 5 s default.
jest.setTimeout(Math.max(30_000, numRuns * 20));

const SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** How Pulumi encodes special values on the wire, under mocks, in state and in previews. */
const special = fc.oneof(
  fc.constant('04da6b54-80e4-46f7-96ec-b56ff0331ba9'),
  fc.constant('6a19a0b0-7e62-4c92-b797-7f8e31da9cc2'),
  fc.constant({ __pulumiUnknown: true }),
  fc.constant({ [SIG]: SECRET_SIG, ciphertext: 'v1:AAAA' }),
  fc.constant('[secret]'),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }).map((value) => ({ [SIG]: SECRET_SIG, value })),
  fc.jsonValue({ maxDepth: 1 }).map((v) => ({ [SIG]: SECRET_SIG, plaintext: JSON.stringify(v) })),
  fc.constant({ [SIG]: 'another-sig', value: 1 }),
);

const leaf = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: special },
);

/** Objects shaped like the inputs the adapters read, with any value in any field. */
function shaped(keys: readonly string[], maxKeys = 12): fc.Arbitrary<Record<string, unknown>> {
  const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...keys), tie('v'), { maxKeys: Math.ceil(maxKeys / 2) }),
    ),
  })).v;
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys });
}

/** Like {@link shaped} but two levels deep at most: YAML round trips of big trees are slow. */
function shallow(keys: readonly string[], maxKeys: number): fc.Arbitrary<Record<string, unknown>> {
  const small = fc.oneof(fc.jsonValue({ maxDepth: 1 }), special);
  const value = fc.oneof(
    small,
    fc.array(fc.oneof(small, fc.dictionary(fc.constantFrom(...keys), small, { maxKeys: 3 })), {
      maxLength: 3,
    }),
    fc.dictionary(fc.constantFrom(...keys), fc.oneof(small, fc.array(small, { maxLength: 2 })), {
      maxKeys: 3,
    }),
  );
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys });
}

const CONTAINER_KEYS = [
  'image',
  'user',
  'groupAdds',
  'privileged',
  'capabilities',
  'adds',
  'drops',
  'securityOpts',
  'readOnly',
  'tmpfs',
  'volumes',
  'hostPath',
  'containerPath',
  'volumeName',
  'fromContainer',
  'mounts',
  'type',
  'source',
  'target',
  'bindOptions',
  'propagation',
  'networksAdvanced',
  'name',
  'aliases',
  'networkMode',
  'pidMode',
  'ipcMode',
  'usernsMode',
  'cgroupnsMode',
  'memory',
  'memorySwap',
  'cpus',
  'cpuQuota',
  'devices',
  'deviceRequests',
  'count',
  'deviceIds',
  'gpus',
  'ports',
  'internal',
  'external',
  'ip',
  'protocol',
  'healthcheck',
  'tests',
  'restart',
  'maxRetryCount',
  'sysctls',
  'ulimits',
  'soft',
  'hard',
  'envs',
  'logOpts',
  'init',
  'labels',
  'label',
  'value',
  'command',
  'taskSpec',
  'containerSpec',
  'env',
  'privileges',
  'seLinuxContext',
  'disable',
  'resources',
  'limits',
  'memoryBytes',
  'nanoCpus',
  'endpointSpec',
  'targetPort',
  'publishedPort',
  'restartPolicy',
  'condition',
  'logDriver',
  'options',
  'commands',
  'args',
  'networksAdvanceds',
  'driver',
  'attachable',
  'ipv6',
] as const;

const INSPECT_KEYS = [
  'Name',
  'Id',
  'Config',
  'HostConfig',
  'State',
  'User',
  'Image',
  'Env',
  'Labels',
  'Healthcheck',
  'Test',
  'Cmd',
  'Privileged',
  'CapAdd',
  'CapDrop',
  'SecurityOpt',
  'MaskedPaths',
  'ReadonlyRootfs',
  'Tmpfs',
  'NetworkMode',
  'PidMode',
  'Memory',
  'NanoCpus',
  'PidsLimit',
  'Devices',
  'PathOnHost',
  'DeviceRequests',
  'Count',
  'DeviceIDs',
  'PortBindings',
  'HostIp',
  'HostPort',
  'RestartPolicy',
  'MaximumRetryCount',
  'Ulimits',
  'Soft',
  'Hard',
  'LogConfig',
  'Type',
  'Mounts',
  'Source',
  'Destination',
  'RW',
  'Propagation',
  'NetworkSettings',
  'Networks',
  'Aliases',
  'Driver',
  'Internal',
  'IPAM',
  'Scope',
  'Options',
  'AppArmorProfile',
  'Runtime',
  'Init',
] as const;

const COMPOSE_KEYS = [
  'image',
  'user',
  'group_add',
  'privileged',
  'cap_add',
  'cap_drop',
  'security_opt',
  'read_only',
  'tmpfs',
  'volumes',
  'type',
  'source',
  'target',
  'read_only',
  'bind',
  'propagation',
  'ports',
  'published',
  'host_ip',
  'protocol',
  'network_mode',
  'networks',
  'aliases',
  'pid',
  'ipc',
  'userns_mode',
  'cgroup',
  'mem_limit',
  'memswap_limit',
  'cpus',
  'cpu_quota',
  'pids_limit',
  'deploy',
  'resources',
  'limits',
  'memory',
  'pids',
  'reservations',
  'devices',
  'capabilities',
  'count',
  'device_ids',
  'gpus',
  'healthcheck',
  'test',
  'disable',
  'restart',
  'restart_policy',
  'condition',
  'max_attempts',
  'sysctls',
  'ulimits',
  'soft',
  'hard',
  'environment',
  'logging',
  'driver',
  'options',
  'init',
  'runtime',
  'labels',
  'command',
  'depends_on',
  'links',
  'internal',
  'external',
  'driver_opts',
] as const;

/** Runs `fn`; any error other than InputError fails the property. */
function onlyInputError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
}

/** A copy with every object's keys in reverse order (own `__proto__` keys kept as data). */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) {
    Object.defineProperty(out, k, {
      value: reverseKeys((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A canonical, order-independent text of a result: sorted keys, secrets and unknowns marked. */
function canon(v: unknown, dropLocations = false): string {
  const walk = (x: unknown): unknown => {
    if (isUnknown(x)) return isSecret(x) ? '<sealed>' : '<unknown>';
    if (isSecret(x)) return { secret: x.reveal() };
    if (x instanceof Map) return walk(Object.fromEntries([...x.entries()].sort()));
    if (x instanceof Set) return [...x].map(String).sort();
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x !== 'object' || x === null) return x;
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) {
      if (dropLocations && (k === 'locations' || k === 'location')) continue;
      o[`k:${k}`] = walk((x as Record<string, unknown>)[k]);
    }
    return o;
  };
  return JSON.stringify(walk(v));
}

function sortSet(set: ResourceSet): ResourceSet {
  const by = (a: { source: { name: string } }, b: { source: { name: string } }) =>
    a.source.name < b.source.name ? -1 : a.source.name > b.source.name ? 1 : 0;
  return { containers: [...set.containers].sort(by), networks: [...set.networks].sort(by) };
}

function findingsText(set: ResourceSet): string[] {
  const now = new Date('2025-01-01T00:00:00Z');
  return evaluate(set, { now })
    .findings.map((f) => `${f.ruleId}|${f.resource.name}|${f.status}|${f.path}|${f.message}`)
    .sort();
}

describe('the Pulumi adapters', () => {
  it('never throw for any object, and evaluate never throws on what they return', () => {
    fc.assert(
      fc.property(shaped(CONTAINER_KEYS), (props) => {
        const set: ResourceSet = {
          containers: [fromPulumiContainerArgs(props), fromPulumiServiceArgs(props)],
          networks: [fromPulumiNetworkArgs(props)],
        };
        evaluate(set);
      }),
      params,
    );
  });

  it('never throw for any JSON value at all, object or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), special), (v) => {
        const props = v as Record<string, unknown>;
        fromPulumiContainerArgs(props);
        fromPulumiServiceArgs(props);
        fromPulumiNetworkArgs(props);
        fromPulumiResources(v as never);
      }),
      params,
    );
  });

  it('give the same result whatever the order of object keys', () => {
    const resources = fc.array(
      fc.record({
        type: fc.constantFrom(PULUMI_TYPES.container, PULUMI_TYPES.service, PULUMI_TYPES.network, 'x:y:Z'),
        name: fc.string({ maxLength: 5 }),
        props: shaped(CONTAINER_KEYS),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(resources, (rs) => {
        const a = fromPulumiResources(rs);
        const b = fromPulumiResources(reverseKeys(rs) as typeof rs);
        expect(canon(b)).toBe(canon(a));
        expect(findingsText(b)).toEqual(findingsText(a));
      }),
      params,
    );
  });
});

describe('fromDockerInspect', () => {
  // Entries that are neither a container nor a network used to be dropped silently (a garbled
  // file read as clean); now they are an InputError, so "never throws" became "only InputError".
  it('throws only InputError for any JSON, and evaluates whatever it reads', () => {
    const doc = fc.oneof(
      fc.array(shaped(INSPECT_KEYS), { maxLength: 3 }),
      shaped(INSPECT_KEYS),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(doc, (d) => {
        let set: ReturnType<typeof fromDockerInspect> | undefined;
        onlyInputError(() => {
          set = fromDockerInspect(d);
        });
        if (set) evaluate(set);
      }),
      params,
    );
  });

  it('gives the same result (or refuses the same way) whatever the order of object keys', () => {
    const outcome = (d: unknown) => {
      try {
        return canon(fromDockerInspect(d));
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.array(shaped(INSPECT_KEYS), { maxLength: 3 }), (d) => {
        expect(outcome(reverseKeys(d))).toBe(outcome(d));
      }),
      params,
    );
  });
});

describe('fromStackExport and fromPreviewJson', () => {
  it('throw only InputError for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (d) => {
        onlyInputError(() => fromStackExport(d));
        onlyInputError(() => fromPreviewJson(d));
      }),
      params,
    );
  });

  // Resources or steps that are not objects (or docker resources whose inputs are not) used to be
  // skipped; they are InputErrors now, so "never throw" became "only InputError".
  it('throw only InputError once the top-level shape is right, whatever the resources hold', () => {
    const resource = fc.record(
      {
        type: fc.oneof(fc.constantFrom(...Object.values(PULUMI_TYPES)), fc.jsonValue({ maxDepth: 1 })),
        urn: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        parent: fc.jsonValue({ maxDepth: 1 }),
        inputs: fc.oneof(shaped(CONTAINER_KEYS), fc.jsonValue({ maxDepth: 2 })),
        outputs: fc.oneof(shaped(CONTAINER_KEYS), fc.jsonValue({ maxDepth: 2 })),
        delete: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const step = fc.record(
      {
        op: fc.constantFrom('create', 'update', 'same', 'delete', 'replace'),
        newState: fc.oneof(resource, fc.jsonValue({ maxDepth: 1 })),
        new: resource,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(resource, fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }),
        fc.array(step, { maxLength: 4 }),
        (resources, steps) => {
          onlyInputError(() => evaluate(fromStackExport({ version: 3, deployment: { resources } })));
          onlyInputError(() => evaluate(fromPreviewJson({ steps })));
        },
      ),
      params,
    );
  });
});

/** True when the mount named by a `name.mounts[i].field` path says why it is unknown. */
function hasReason(c: ContainerSpec, path: string): boolean {
  const i = Number(/\.mounts\[(\d+)\]/.exec(path)?.[1]);
  return Array.isArray(c.mounts) && typeof c.mounts[i]?.unknownReason === 'string';
}

/** A compose document: services and networks with arbitrary settings. */
const composeDoc = fc.record({
  services: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), shallow(COMPOSE_KEYS, 8), {
    minKeys: 1,
    maxKeys: 3,
  }),
  networks: fc.dictionary(
    fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
    fc.oneof(fc.constant(null), shallow(COMPOSE_KEYS, 4)),
    {
      maxKeys: 2,
    },
  ),
});

/** YAML text without block scalars, so an inserted line cannot hide inside a string. */
const toYaml = (doc: unknown) =>
  stringify(doc, { lineWidth: 0, blockQuote: false, aliasDuplicateObjects: false });

describe('fromCompose and parseInputFile', () => {
  it('throw only InputError for any text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      composeDoc.map(toYaml),
    );
    fc.assert(
      fc.property(text, (t) => {
        onlyInputError(() => fromCompose(t, 'f.yaml'));
        onlyInputError(() => parseInputFile(t, 'f'));
      }),
      params,
    );
  });

  it('read any generated compose file, with the same services and findings whatever the key order', () => {
    fc.assert(
      fc.property(composeDoc, (doc) => {
        // A generated `<<` key is a YAML merge key: a bad merge must fail the same way in both orders.
        const read = (d: unknown) => {
          try {
            const set = sortSet(fromCompose(toYaml(d), 'f.yaml'));
            return { set: canon(set, true), findings: findingsText(set) };
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            // Where the problem is (line, field path) moves with the key order; what it is does not.
            return { error: e.message.replace(/^f\.yaml(:\d+:\d+)?: ([\w.[\]-]+: )?/, '') };
          }
        };
        expect(read(reverseKeys(doc))).toEqual(read(doc));
      }),
      params,
    );
  });

  it('never read a value as unknown unless it is not in the file (fail closed: refused or read)', () => {
    // Outside the file: an environment entry without a value (taken from the shell) and a mount
    // of an external volume. Everything else is either read or refused with an InputError.
    const unknownsIn = (v: unknown, path: string, out: string[]): void => {
      if (isUnknown(v)) out.push(path);
      else if (Array.isArray(v)) {
        v.forEach((x, i) => {
          unknownsIn(x, `${path}[${i}]`, out);
        });
      } else if (typeof v === 'object' && v !== null && !isSecret(v)) {
        for (const [k, x] of Object.entries(v)) unknownsIn(x, `${path}.${k}`, out);
      }
    };
    fc.assert(
      fc.property(composeDoc, (doc) => {
        const text = toYaml(doc);
        fc.pre(!text.includes('$'));
        let set: ResourceSet;
        try {
          set = fromCompose(text, 'f.yaml', { projectName: 'p', env: {} });
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          return;
        }
        for (const c of set.containers) {
          const { source: _source, ...fields } = c;
          const found: string[] = [];
          unknownsIn(fields, c.source.name, found);
          const unexplained = found.filter(
            (p) =>
              !/\.env\[\d+\]\.value$/.test(p) &&
              !(/\.mounts\[\d+\]\.(type|source)$/.test(p) && hasReason(c, p)),
          );
          expect(unexplained).toEqual([]);
        }
      }),
      params,
    );
  });

  it('report malformed YAML as InputError with file:line:column', () => {
    const breakage = fc.constantFrom(
      'x: [unclosed',
      'y: "unterminated',
      '\tz: tab-indented',
      'services: {}',
      '  - : :',
    );
    fc.assert(
      fc.property(composeDoc, breakage, (doc, bad) => {
        const text = `${toYaml(doc)}${bad}\n`;
        expect(() => fromCompose(text, 'f.yaml')).toThrow(InputError);
        try {
          fromCompose(text, 'f.yaml');
        } catch (e) {
          expect((e as Error).message).toMatch(/^f\.yaml:\d+:\d+: /);
        }
      }),
      params,
    );
  });

  it('reports a break anywhere in the file, if it is one, with a line', () => {
    fc.assert(
      fc.property(composeDoc, fc.nat(), fc.constantFrom('x: [', '"', '\t- a', ': :', '{'), (doc, at, bad) => {
        const lines = toYaml(doc).split('\n');
        lines.splice(at % lines.length, 0, bad);
        try {
          fromCompose(lines.join('\n'), 'f.yaml');
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).toMatch(/^f\.yaml:\d+:\d+: /);
        }
      }),
      params,
    );
  });
});

describe('evaluate', () => {
  it('throws only InputError for any JSON document given as the resource set', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (d) => onlyInputError(() => evaluate(d as unknown as ResourceSet))),
      params,
    );
  });

  // Entries without a `source` are skipped by the engine rather than read.
  it('never throws for lists of arbitrary entries in containers and networks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 2 })),
        fc.array(fc.jsonValue({ maxDepth: 2 })),
        (cs, ns) =>
          onlyInputError(() => evaluate({ containers: cs, networks: ns } as unknown as ResourceSet)),
      ),
      params,
    );
  });
});
