/**
 * The field tables: each input kind declares a spec field once (its path and its reader). A new
 * `ContainerSpec` field that an input kind can set needs one row per table; this test names the
 * tables that lack one, so a forgotten row fails here instead of reading as "absent" (a pass).
 */

import { COMPOSE_SERVICE_FIELDS } from '../../src/adapters/compose/service.js';
import { COMPOSE_NETWORK_FIELDS } from '../../src/adapters/compose.js';
import { fieldPathsOf, fieldsOf } from '../../src/adapters/fields.js';
import { INSPECT_CONTAINER_FIELDS, INSPECT_NETWORK_FIELDS } from '../../src/adapters/inspect.js';
import { CONTAINER_CANNOT, PULUMI_CONTAINER_FIELDS } from '../../src/adapters/pulumi/container.js';
import { PULUMI_NETWORK_FIELDS } from '../../src/adapters/pulumi/network.js';
import { PULUMI_SERVICE_FIELDS, SERVICE_CANNOT } from '../../src/adapters/pulumi/service.js';
import { type ContainerSpec, newContainerSpec, newNetworkSpec } from '../../src/model/spec.js';

/** Spec members no table reads: the source, what is derived after the tables, what tools add. */
const NOT_READ = new Set(['source', 'links', 'ingress', 'imageDigestFrom', 'learnedSeccomp']);
const SPEC_FIELDS = Object.keys(newContainerSpec({ kind: 'compose', name: 'x', type: 'x' })).filter(
  (f) => !NOT_READ.has(f),
);

/**
 * Per table: the spec fields it has no row for, each because the input has no such setting.
 * Adding a field an input can set means adding a row, not an entry here.
 */
const TABLES: [string, object, ReadonlySet<string>][] = [
  [
    'PULUMI_CONTAINER_FIELDS (docker.Container has no pids limit or UTS mode input)',
    PULUMI_CONTAINER_FIELDS,
    new Set([...CONTAINER_CANNOT, 'utsMode']),
  ],
  [
    'PULUMI_SERVICE_FIELDS (a swarm service: SERVICE_CANNOT, and what a task cannot ask for)',
    PULUMI_SERVICE_FIELDS,
    new Set([
      ...SERVICE_CANNOT,
      'privileged',
      'networkMode',
      'pidMode',
      'ipcMode',
      'utsMode',
      'usernsMode',
      'cgroupnsMode',
      'cgroupParent',
      'cpuQuota',
      'cpuPeriod',
      'cpuShares',
      'devices',
      'deviceCgroupRules',
      'gpus',
      'publishAllPorts',
      'ulimits',
      'runtime',
    ]),
  ],
  [
    'COMPOSE_SERVICE_FIELDS (compose has no publish-all flag)',
    COMPOSE_SERVICE_FIELDS,
    new Set(['publishAllPorts']),
  ],
  ['INSPECT_CONTAINER_FIELDS', INSPECT_CONTAINER_FIELDS, new Set()],
];

/** Network spec members every network input reads after its name (which each reads first). */
const NETWORK_FIELDS = Object.keys(newNetworkSpec({ kind: 'compose', name: 'x', type: 'x' }, 'x')).filter(
  (f) => f !== 'source' && f !== 'name',
);

describe('field tables', () => {
  it.each([
    ['PULUMI_NETWORK_FIELDS', PULUMI_NETWORK_FIELDS],
    ['COMPOSE_NETWORK_FIELDS', COMPOSE_NETWORK_FIELDS],
    ['INSPECT_NETWORK_FIELDS', INSPECT_NETWORK_FIELDS],
  ])('%s has a row for every network spec field', (_name, table) => {
    const rows = new Set(fieldsOf(table as object) as string[]);
    expect(NETWORK_FIELDS.filter((f) => !rows.has(f))).toEqual([]);
  });

  it.each(TABLES)('%s has a row for every spec field its input can set', (_name, table, without) => {
    const rows = new Set(fieldsOf(table as object) as string[]);
    expect(SPEC_FIELDS.filter((f) => !rows.has(f) && !without.has(f))).toEqual([]);
  });

  it('derives the path map from the rows, with list renames and fields read after the table', () => {
    const table = {
      readOnlyRootfs: { path: 'readOnly', read: () => true },
      user: { path: 'user', read: () => 'x' },
      mounts: { path: 'mounts', items: { volumes: { source: 'hostPath' } }, read: () => undefined },
    } as const;
    expect(fieldPathsOf<ContainerSpec, []>(table, { links: 'labels' })).toEqual({
      readOnlyRootfs: 'readOnly',
      'volumes[].source': 'hostPath',
      links: 'labels',
    });
  });

  it('gives per-input paths under a prefix when the path depends on what the input sets', () => {
    const table = {
      memory: {
        path: 'mem_limit',
        pathIn: (deployed: boolean) => (deployed ? 'deploy.memory' : 'mem_limit'),
        read: () => 1,
      },
      user: { path: 'user', read: () => 'x' },
    };
    expect(
      fieldPathsOf<ContainerSpec, [boolean]>(table, {}, { prefix: 'services.web', args: [true] }),
    ).toEqual({
      memory: 'services.web.deploy.memory',
      user: 'services.web.user',
    });
  });
});
