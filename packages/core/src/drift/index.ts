/**
 * Drift: what runs compared with what was declared. A declared container (Pulumi stack export,
 * compose project) is matched with a live one (`docker inspect`) by the surface; this module says
 * which security-relevant settings differ, and holds the metadata of the four kinds of drift so
 * that every surface and report takes their text from one place.
 * @packageDocumentation
 */
import { Catalog } from '../evaluation/catalog.js';
import type { ContainerSpec } from '../model/spec.js';
import { isSecret, isUnknown, reveal } from '../model/value.js';
import type { ContainerRule } from '../rules/types.js';

const DOCS = 'https://docs.docker.com/reference/cli/docker/container/update/';

/**
 * A drift kind as a catalog entry, so reports lay it out like any rule. Drift is decided by
 * comparing two specs ({@link compareContainer}, and the surface's matching), never from one spec:
 * `check` of a single spec has nothing to decide and gives no outcome.
 */
const kind = (meta: Omit<ContainerRule, 'scope' | 'level' | 'check'>): ContainerRule => ({
  ...meta,
  scope: 'container',
  level: 'baseline',
  check: () => [],
});

/** The kinds of drift, by id. */
export const DRIFT_RULES = {
  changed: kind({
    id: 'drift-setting-changed',
    title: 'Running containers must keep the security settings they were declared with',
    severity: 'high',
    rationale:
      'A setting changed behind the declaration (`docker update`, a container recreated by hand) is not ' +
      'reviewed, not in version control, and is undone or kept by accident on the next deploy.',
    remediation: {
      pulumi: 'Run `pulumi up` to put the declared settings back, or declare the change and review it.',
      compose: 'Run `docker compose up -d --force-recreate <service>`, or declare the change in the file.',
      dockerRun: 'Recreate the container from its declaration; do not change it with `docker update`.',
    },
    references: { docs: DOCS },
  }),
  replaced: kind({
    id: 'drift-container-replaced',
    title: 'Declared containers must not be replaced outside the deployment',
    severity: 'high',
    rationale:
      'A container with the declared name but another id was created outside the deployment tool: its ' +
      'settings were never reviewed, even where they still look the same.',
    remediation: {
      pulumi: 'Run `pulumi refresh` and `pulumi up` so that the stack owns the running container again.',
      compose: 'Run `docker compose up -d --force-recreate <service>`.',
      dockerRun: 'Remove the container and let the deployment tool create it.',
    },
    references: { docs: DOCS },
  }),
  missing: kind({
    id: 'drift-declared-missing',
    title: 'Declared containers must be running',
    severity: 'medium',
    rationale:
      'A declared container that is not there was removed outside the deployment, or never started: what ' +
      'runs is not what was reviewed.',
    remediation: {
      pulumi: 'Run `pulumi refresh`, then `pulumi up`.',
      compose: 'Run `docker compose up -d`.',
      dockerRun: 'Start the container from its declaration.',
    },
    references: { docs: DOCS },
  }),
  undeclared: kind({
    id: 'drift-undeclared-container',
    title: 'Running containers must be declared',
    severity: 'medium',
    rationale:
      'A container that no declaration holds was started by hand or by another tool: nothing reviewed its settings.',
    remediation: {
      pulumi: 'Declare it in the Pulumi program (or `pulumi import` it), or remove it.',
      compose: 'Declare it as a service of the project, or remove it.',
      dockerRun: 'Remove it, or declare it where the rest of the stack is declared.',
    },
    references: { docs: DOCS },
  }),
} as const;

/** The drift kinds as a catalog (for reporters). */
export const driftCatalog = new Catalog(Object.values(DRIFT_RULES));

/**
 * How a setting is compared. `default`: an absent declaration means the engine default, which
 * the live value must then have. `declared`: compared only when the declaration sets it (the
 * engine derives it otherwise: swap from memory, the default network mode). `escalation`: an
 * absent declaration accepts anything except a value that shares the host's namespace.
 */
type Mode = { mode: 'default'; absent: unknown } | { mode: 'declared' } | { mode: 'escalation' };

/** The security-relevant settings drift compares, and how. */
export const DRIFT_FIELDS: Readonly<Partial<Record<keyof ContainerSpec, Mode>>> = {
  privileged: { mode: 'default', absent: false },
  capAdd: { mode: 'default', absent: [] },
  capDrop: { mode: 'declared' },
  user: { mode: 'default', absent: '' },
  groupAdd: { mode: 'default', absent: [] },
  securityOpt: { mode: 'declared' },
  readOnlyRootfs: { mode: 'default', absent: false },
  mounts: { mode: 'declared' },
  devices: { mode: 'default', absent: [] },
  networkMode: { mode: 'escalation' },
  pidMode: { mode: 'escalation' },
  ipcMode: { mode: 'escalation' },
  utsMode: { mode: 'escalation' },
  usernsMode: { mode: 'escalation' },
  // cgroup v1 engines share the host's cgroup namespace by default: only a declared mode is compared.
  cgroupnsMode: { mode: 'declared' },
  memory: { mode: 'default', absent: 0 },
  memorySwap: { mode: 'declared' },
  nanoCpus: { mode: 'default', absent: 0 },
  cpuQuota: { mode: 'declared' },
  cpuShares: { mode: 'declared' },
  pidsLimit: { mode: 'default', absent: 0 },
  ports: { mode: 'default', absent: [] },
  publishAllPorts: { mode: 'default', absent: false },
  runtime: { mode: 'declared' },
  sysctls: { mode: 'declared' },
  ulimits: { mode: 'declared' },
  tmpfs: { mode: 'declared' },
  restart: { mode: 'declared' },
};

/** One setting that differs: the spec field, or unknown when the declaration is not known yet. */
export interface FieldDrift {
  field: keyof ContainerSpec;
  status: 'fail' | 'unknown';
}

/**
 * The settings of {@link DRIFT_FIELDS} on which a live container differs from its declaration,
 * in that order. Lists compare as sets; capabilities without a `CAP_` prefix and in upper case; a
 * limit of 0 or below is no limit. Values are compared, never reported.
 */
export function compareContainer(declared: ContainerSpec, live: ContainerSpec): FieldDrift[] {
  const out: FieldDrift[] = [];
  for (const [name, how] of Object.entries(DRIFT_FIELDS) as [keyof ContainerSpec, Mode][]) {
    const d = declared[name];
    const l = live[name];
    if (isUnknown(d)) {
      out.push({ field: name, status: 'unknown' });
      continue;
    }
    let same: boolean;
    if (how.mode === 'declared') same = d === undefined || canon(name, d) === canon(name, l);
    else if (how.mode === 'escalation')
      same = d === undefined ? canon(name, l) !== '"host"' : canon(name, d) === canon(name, l);
    else same = canon(name, d ?? how.absent) === canon(name, l ?? how.absent);
    if (!same) out.push({ field: name, status: 'fail' });
  }
  return out;
}

/** A canonical text of a setting's value (secrets revealed for comparison only, never shown). */
function canon(field: keyof ContainerSpec, v: unknown): string {
  return JSON.stringify(normalize(field, v));
}

function normalize(field: keyof ContainerSpec, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (isSecret(v)) return reveal(v);
  if (isUnknown(v)) return '<unknown>';
  if (typeof v === 'number' && LIMITS.has(field)) return v > 0 ? v : 0;
  if (typeof v === 'string' && (field === 'capAdd' || field === 'capDrop')) {
    return v.toUpperCase().replace(/^CAP_/, '');
  }
  if (Array.isArray(v)) {
    return v
      .map((x) => normalize(field, x))
      .map((x) => JSON.stringify(x))
      .sort();
  }
  if (typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      // Where an item came from in its input is not a setting.
      if (k === 'origin' || k === 'unknownReason') continue;
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) o[k] = normalize(field, x);
    }
    return o;
  }
  return v;
}

const LIMITS = new Set<keyof ContainerSpec>([
  'memory',
  'memorySwap',
  'nanoCpus',
  'cpuQuota',
  'cpuShares',
  'pidsLimit',
]);
