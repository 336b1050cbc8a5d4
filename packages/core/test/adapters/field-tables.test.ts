/**
 * The field tables: each input kind declares a spec field once (its path and its reader). A new
 * `ContainerSpec` field that an input kind can set needs one row per table; this test names the
 * tables that lack one, so a forgotten row fails here instead of reading as "absent" (a pass).
 */

import { COMPOSE_NO_SETTING, COMPOSE_SERVICE_FIELDS } from '../../src/adapters/compose/service.js';
import { COMPOSE_NETWORK_FIELDS } from '../../src/adapters/compose.js';
import { fieldPathsOf, fieldsOf, NOT_IN_TABLES, type NoSetting } from '../../src/adapters/fields.js';
import { INSPECT_CONTAINER_FIELDS, INSPECT_NETWORK_FIELDS } from '../../src/adapters/inspect.js';
import {
  CONTAINER_CANNOT,
  CONTAINER_NO_SETTING,
  PULUMI_CONTAINER_FIELDS,
} from '../../src/adapters/pulumi/container.js';
import { PULUMI_NETWORK_FIELDS } from '../../src/adapters/pulumi/network.js';
import {
  PULUMI_SERVICE_FIELDS,
  SERVICE_CANNOT,
  SERVICE_NO_SETTING,
} from '../../src/adapters/pulumi/service.js';
import { type ContainerSpec, newContainerSpec, newNetworkSpec } from '../../src/model/spec.js';

/** Spec members no table reads: the source, what is derived after the tables, what tools add. */
const NOT_READ = new Set(['source', ...Object.keys(NOT_IN_TABLES)]);
const SPEC_FIELDS = Object.keys(newContainerSpec({ kind: 'compose', name: 'x', type: 'x' })).filter(
  (f) => !NOT_READ.has(f),
);

/**
 * Each table with what its input has no setting for (and says why). Adding a field an input can
 * set means adding a row; adding one it cannot, an entry with the reason.
 */
const TABLES: [string, object, NoSetting<ContainerSpec>][] = [
  ['PULUMI_CONTAINER_FIELDS', PULUMI_CONTAINER_FIELDS, CONTAINER_NO_SETTING],
  ['PULUMI_SERVICE_FIELDS', PULUMI_SERVICE_FIELDS, SERVICE_NO_SETTING],
  ['COMPOSE_SERVICE_FIELDS', COMPOSE_SERVICE_FIELDS, COMPOSE_NO_SETTING],
  ['INSPECT_CONTAINER_FIELDS', INSPECT_CONTAINER_FIELDS, {}],
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
    expect(SPEC_FIELDS.filter((f) => !rows.has(f) && !(f in without))).toEqual([]);
  });

  it.each(TABLES)('%s: a field has a row or a reason it has none, never both', (_name, table, without) => {
    const rows = new Set(fieldsOf(table as object) as string[]);
    expect(Object.keys(without).filter((f) => rows.has(f))).toEqual([]);
    for (const why of Object.values(without)) expect(why).toMatch(/ has no | cannot /);
  });

  it('the fields a Pulumi resource cannot express (rules fail on them) have no row', () => {
    for (const f of CONTAINER_CANNOT) expect(CONTAINER_NO_SETTING).toHaveProperty(f);
    for (const f of SERVICE_CANNOT) expect(f in SERVICE_NO_SETTING || f === 'securityOpt').toBe(true); // SELinux labelling only
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
