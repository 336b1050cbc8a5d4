/**
 * The rule test kit writes most fields from the adapters' own table rows: a row that says its
 * input holds the spec value as it is (`as`) is written at the row's path. This test holds every
 * such row to that claim, with generated values read back through the real adapter, and checks
 * that no row is left without a writer (which would turn every case on that field into a skip).
 */

import fc from 'fast-check';
import { COMPOSE_SERVICE_FIELDS } from '../../src/adapters/compose/service.js';
import { COMPOSE_NETWORK_FIELDS } from '../../src/adapters/compose.js';
import type { FieldTable } from '../../src/adapters/fields.js';
import { INSPECT_CONTAINER_FIELDS, INSPECT_NETWORK_FIELDS } from '../../src/adapters/inspect.js';
import { PULUMI_CONTAINER_FIELDS } from '../../src/adapters/pulumi/container.js';
import { PULUMI_NETWORK_FIELDS } from '../../src/adapters/pulumi/network.js';
import {
  fromCompose,
  fromDockerInspect,
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
} from '../../src/index.js';
import type { ContainerSpec, NetworkSpec } from '../../src/model/spec.js';
import {
  fieldsWithoutWriter,
  INPUT_KINDS,
  type KitInputKind,
  writeCompose,
  writeComposeNetwork,
  writeInspect,
  writeInspectNetwork,
  writePulumi,
  writePulumiNetwork,
} from '../../src/testing/inputs.js';

const TABLES: Record<KitInputKind, FieldTable<ContainerSpec, never>> = {
  compose: COMPOSE_SERVICE_FIELDS as FieldTable<ContainerSpec, never>,
  pulumi: PULUMI_CONTAINER_FIELDS as FieldTable<ContainerSpec, never>,
  inspect: INSPECT_CONTAINER_FIELDS as FieldTable<ContainerSpec, never>,
};

/** The spec's scalar fields that are not strings (a `value` row's domain). */
const NUMBERS = new Set([
  'memory',
  'memorySwap',
  'nanoCpus',
  'cpuQuota',
  'cpuPeriod',
  'cpuShares',
  'pidsLimit',
]);
const BOOLEANS = new Set([
  'privileged',
  'readOnlyRootfs',
  'publishAllPorts',
  'init',
  'internal',
  'attachable',
  'ipv6',
]);

/** Text a user might write, `$` included (compose must not interpolate what the kit wrote). */
const text = fc.stringMatching(
  /^[A-Za-z0-9$/:=.,_-][A-Za-z0-9$/:=.,_ -]{0,14}[A-Za-z0-9$/:=.,_-]$|^[A-Za-z0-9]$/,
);
const key = fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}$/);

function domain(field: string, shape: 'value' | 'list' | 'map'): fc.Arbitrary<unknown> {
  if (shape === 'list') return fc.array(text, { maxLength: 4 });
  if (shape === 'map') return fc.dictionary(key, text, { maxKeys: 4 });
  if (NUMBERS.has(field)) return fc.integer({ min: 1, max: 2 ** 31 - 1 });
  if (BOOLEANS.has(field)) return fc.boolean();
  return text;
}

function roundTrip(kind: KitInputKind, spec: ContainerSpec): ContainerSpec {
  if (kind === 'compose') {
    const w = writeCompose(spec);
    const c = fromCompose(w.input as string, 'compose.yaml').containers[0];
    if (!c) throw new Error('no service read back');
    return c;
  }
  if (kind === 'pulumi')
    return fromPulumiContainerArgs(writePulumi(spec).input as Record<string, unknown>, { name: 'web' });
  const c = fromDockerInspect(writeInspect(spec).input).containers[0];
  if (!c) throw new Error('no container read back');
  return c;
}

const NETWORK_TABLES: Record<KitInputKind, FieldTable<NetworkSpec, never>> = {
  compose: COMPOSE_NETWORK_FIELDS as FieldTable<NetworkSpec, never>,
  pulumi: PULUMI_NETWORK_FIELDS as FieldTable<NetworkSpec, never>,
  inspect: INSPECT_NETWORK_FIELDS as FieldTable<NetworkSpec, never>,
};

function networkRoundTrip(kind: KitInputKind, spec: NetworkSpec): NetworkSpec {
  const n =
    kind === 'compose'
      ? fromCompose(writeComposeNetwork(spec).input as string, 'compose.yaml').networks[0]
      : kind === 'pulumi'
        ? fromPulumiNetworkArgs(writePulumiNetwork(spec).input as Record<string, unknown>, { name: 'net' })
        : fromDockerInspect(writeInspectNetwork(spec).input).networks[0];
  if (!n) throw new Error('no network read back');
  return n;
}

const rowsOf = (tables: Record<KitInputKind, object>) =>
  INPUT_KINDS.flatMap((kind) =>
    Object.entries(tables[kind] as Record<string, { path: string; as?: 'value' | 'list' | 'map' }>)
      .filter(([, row]) => row.as !== undefined)
      .map(([field, row]) => [kind, field, row.path, row.as!] as const),
  );
const ROWS = rowsOf(TABLES);
const NETWORK_ROWS = rowsOf(NETWORK_TABLES);
describe('the kit writes what the tables say their inputs hold as it is', () => {
  it('covers most rows of every table', () => {
    for (const kind of INPUT_KINDS) expect(ROWS.filter((r) => r[0] === kind).length).toBeGreaterThan(20);
  });

  it.each(ROWS)('%s %s (at %s, %s) reads back what the kit wrote', (kind, field, _path, shape) => {
    fc.assert(
      fc.property(domain(field, shape), (v) => {
        // Nothing else set: compose would refuse `network_mode` beside `networks`, for one.
        const spec = { source: { kind: 'compose', name: 'web', type: 'compose:service' }, [field]: v };
        const read = roundTrip(kind, spec as unknown as ContainerSpec) as unknown as Record<string, unknown>;
        expect(read[field]).toEqual(v);
      }),
      { numRuns: 40 },
    );
  });

  it.each(NETWORK_ROWS)(
    'network: %s %s (at %s, %s) reads back what the kit wrote',
    (kind, field, _p, shape) => {
      fc.assert(
        fc.property(domain(field, shape), (v) => {
          const spec = {
            source: { kind: 'compose', name: 'net', type: 'compose:network' },
            name: 'net',
            [field]: v,
          };
          const read = networkRoundTrip(kind, spec as unknown as NetworkSpec) as unknown as Record<
            string,
            unknown
          >;
          expect(read[field]).toEqual(v);
        }),
        { numRuns: 40 },
      );
    },
  );

  it.each(INPUT_KINDS)('%s: every row the tables read has a writer (none becomes a silent skip)', (kind) => {
    expect(fieldsWithoutWriter(kind, 'container')).toEqual([]);
    expect(fieldsWithoutWriter(kind, 'network')).toEqual([]);
  });
});
