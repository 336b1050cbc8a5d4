/**
 * Baselines: fingerprints survive what does not change a finding's substance (property tests over
 * compose files: service and key order, formatting, comments, moving a service) and change with
 * what does (rule, resource, field); a baseline never accepts a finding of a rule or resource it
 * does not name; the file is checked with one line naming the field.
 */
import fc from 'fast-check';
import { Document, stringify } from 'yaml';
import {
  applyBaseline,
  createBaseline,
  evaluate,
  type Finding,
  fingerprintFindings,
  fromCompose,
  InputError,
  parseBaseline,
  serializeBaseline,
} from '../src/index.js';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 60);
fc.configureGlobal({ baseSize: 'small' });
jest.setTimeout(60_000);

const findingsOf = (text: string): Finding[] => evaluate(fromCompose(text, 'compose.yaml')).findings;
const sortedPrints = (findings: readonly Finding[]) => fingerprintFindings(findings).sort();

/** Service settings that trigger, or clear, different rules. */
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  image: fc.constantFrom('nginx:1', 'busybox', `app@sha256:${'b'.repeat(64)}`),
  privileged: fc.boolean(),
  read_only: fc.boolean(),
  user: fc.constantFrom('0', '1000:1000', 'root', 'app'),
  cap_add: fc.subarray(['NET_ADMIN', 'SYS_ADMIN', 'CHOWN', 'NET_RAW'], { minLength: 1 }),
  cap_drop: fc.constantFrom(['ALL'], ['NET_RAW']),
  ports: fc.subarray(['8080:80', '127.0.0.1:9090:90', '443:443'], { minLength: 1 }),
  mem_limit: fc.constantFrom('64m', '1g'),
  pids_limit: fc.constantFrom(64, -1),
  network_mode: fc.constantFrom('host', 'none', 'bridge'),
  volumes: fc.subarray(['/var/run/docker.sock:/var/run/docker.sock', '/etc:/host-etc:ro', './data:/data'], {
    minLength: 1,
  }),
  init: fc.boolean(),
};

const service = fc.record(FIELDS, { requiredKeys: ['image'] });
const project = fc.dictionary(fc.constantFrom('web', 'db', 'cache', 'worker', 'api-gw'), service, {
  minKeys: 1,
  maxKeys: 4,
});

/** Reorders the keys of an object (one level) by a permutation seed. */
function reorder<T extends object>(o: T, seed: number[]): T {
  const keys = Object.keys(o);
  const order = keys
    .map((k, i) => ({ k, w: seed[i % Math.max(seed.length, 1)] ?? i }))
    .sort((a, b) => a.w - b.w || a.k.localeCompare(b.k));
  return Object.fromEntries(order.map(({ k }) => [k, (o as Record<string, unknown>)[k]])) as T;
}

/** The same project written another way: other service and key order, style, indent and comments. */
function rewrite(
  services: Record<string, Record<string, unknown>>,
  how: { seed: number[]; indent: number; flow: boolean; comments: boolean[] },
): string {
  const moved = reorder(services, how.seed);
  const doc = new Document({
    services: Object.fromEntries(
      Object.entries(moved).map(([k, v]) => [k, reorder(v, [...how.seed].reverse())]),
    ),
  });
  if (how.flow) {
    // Every service as one flow mapping line.
    const items = (doc.get('services') as { items: { value: { flow: boolean } }[] }).items;
    for (const item of items) item.value.flow = true;
  }
  const lines = doc.toString({ indent: how.indent }).split('\n');
  return lines
    .map((line, i) =>
      how.comments[i % Math.max(how.comments.length, 1)]
        ? `${line.match(/^ */)?.[0]}# note ${i}\n${line}${how.flow ? '' : '  # why'}`
        : line,
    )
    .map((line) => (line.trimEnd().endsWith(':  # why') ? line.replace('  # why', '') : line))
    .join('\n');
}

const rewriting = fc.record({
  seed: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }),
  indent: fc.integer({ min: 2, max: 6 }),
  flow: fc.boolean(),
  comments: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
});

describe('fingerprints and baselines on compose files', () => {
  it('keep every fingerprint when services and keys are reordered, the file reformatted and commented', () => {
    fc.assert(
      fc.property(project, rewriting, (services, how) => {
        const before = findingsOf(stringify({ services }));
        const after = findingsOf(rewrite(services, how));
        expect(sortedPrints(after)).toEqual(sortedPrints(before));
        const match = applyBaseline(createBaseline(before), after);
        expect(match.stale).toEqual([]);
        after.forEach((f, i) => {
          expect(match.baselined[i]).toBe(f.status === 'fail');
        });
      }),
      { numRuns },
    );
  });

  it('a baseline accepts nothing of a service it does not name (a renamed service is new)', () => {
    fc.assert(
      fc.property(project, (services) => {
        const before = findingsOf(stringify({ services }));
        const renamed = Object.fromEntries(Object.entries(services).map(([k, v]) => [`${k}-2`, v]));
        const after = findingsOf(stringify({ services: renamed }));
        const baseline = createBaseline(before);
        const match = applyBaseline(baseline, after);
        // The project's default network keeps its name and its findings.
        after.forEach((f, i) => {
          if (f.resource.scope === 'container') expect(match.baselined[i]).toBe(false);
        });
        const containerEntries = baseline.findings.filter((e) => e.resource.startsWith('compose:container:'));
        expect(match.stale).toEqual(containerEntries);
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });

  it('a finding the baseline does not hold stays failing: adding privileged: true is new', () => {
    const base = 'services:\n  web:\n    image: nginx:1\n';
    const baseline = createBaseline(findingsOf(base));
    const after = findingsOf('services:\n  web:\n    privileged: true\n    image: nginx:1\n');
    const match = applyBaseline(baseline, after);
    const open = after.filter((f, i) => f.status === 'fail' && !match.baselined[i]).map((f) => f.ruleId);
    expect(open).toEqual(['no-privileged']);
    expect(match.stale).toEqual([]);
  });

  it('a fixed finding leaves its entry stale', () => {
    const baseline = createBaseline(findingsOf('services:\n  web:\n    image: nginx:1\n'));
    const after = findingsOf('services:\n  web:\n    image: nginx:1\n    init: true\n');
    const stale = applyBaseline(baseline, after).stale.map((e) => `${e.rule} ${e.resource} ${e.path}`);
    expect(stale).toEqual(['init-process compose:container:web services.web.init']);
  });
});

/** One failed finding, as core reports it. */
const PRIVILEGED: Finding = {
  ruleId: 'no-privileged',
  title: 'x',
  severity: 'critical',
  status: 'fail',
  resource: { kind: 'compose', scope: 'container', name: 'web', type: 'compose:service' },
  path: 'services.web.privileged',
  specPath: 'privileged',
  message: 'runs in privileged mode',
  location: { file: 'compose.yaml', line: 3 },
};

describe('fingerprints', () => {
  const base = PRIVILEGED;
  const print = (f: Finding) => fingerprintFindings([f])[0];

  it('ignore the message, the location and the order of findings', () => {
    expect(
      print({ ...base, message: 'other words', location: { file: 'moved/compose.yaml', line: 90 } }),
    ).toBe(print(base));
    const other = { ...base, ruleId: 'init-process', path: 'services.web.init' };
    expect(fingerprintFindings([base, other])).toEqual(fingerprintFindings([other, base]).reverse());
  });

  it('change with the rule, the resource and the field', () => {
    expect(print({ ...base, ruleId: 'no-host-pid' })).not.toBe(print(base));
    expect(print({ ...base, resource: { ...base.resource, name: 'api' } })).not.toBe(print(base));
    expect(print({ ...base, resource: { ...base.resource, kind: 'inspect' } })).not.toBe(print(base));
    expect(print({ ...base, path: 'services.web.cap_add' })).not.toBe(print(base));
  });

  it('tell apart findings of one substance (two ulimits on one field) by occurrence', () => {
    const [a, b] = fingerprintFindings([base, { ...base, message: 'second' }]);
    expect(a).not.toBe(b);
    const match = applyBaseline(createBaseline([base]), [base, { ...base, message: 'second' }]);
    expect(match.baselined.filter(Boolean)).toHaveLength(1);
  });
});

describe('baseline entries', () => {
  const f = PRIVILEGED;

  it('never accept a finding of a rule or resource they do not name, whatever fingerprint they carry', () => {
    const [entry] = createBaseline([f]).findings;
    for (const tampered of [
      { ...entry!, rule: 'no-host-pid' },
      { ...entry!, resource: 'compose:container:api' },
      { ...entry!, path: 'services.web.user' },
    ]) {
      const match = applyBaseline({ version: 1, findings: [tampered] }, [f]);
      expect(match.baselined).toEqual([false]);
      expect(match.stale).toEqual([tampered]);
    }
  });

  it('leave unknown and exempt findings alone and record only failed ones', () => {
    expect(
      createBaseline([
        { ...f, status: 'unknown' },
        { ...f, status: 'exempt' },
      ]).findings,
    ).toEqual([]);
  });

  it('serialize to the same bytes whatever the order of the findings', () => {
    const g = { ...f, ruleId: 'init-process', path: 'services.web.init' };
    expect(serializeBaseline(createBaseline([f, g]))).toBe(serializeBaseline(createBaseline([g, f])));
    expect(parseBaseline(JSON.parse(serializeBaseline(createBaseline([f, g]))))).toEqual(
      createBaseline([f, g]),
    );
  });

  it.each([
    [[], 'baseline: (root): a baseline file is an object { version, findings }'],
    [
      { version: 2, findings: [] },
      'baseline: version: version must be 1 (regenerate the file with --write-baseline)',
    ],
    [{ version: 1 }, 'baseline: findings: findings must be a list of entries'],
    [
      { version: 1, findings: [{ fingerprint: 'x', rule: 'r', resource: 'r', path: '' }] },
      'baseline: findings[0].fingerprint: fingerprint must be 32 lowercase hex digits',
    ],
    [
      {
        version: 1,
        findings: [{ fingerprint: 'a'.repeat(32), rule: 'r', resource: 'r', path: '', extra: 1 }],
      },
      'baseline: findings[0]: Unrecognized key: "extra"',
    ],
    [
      {
        version: 1,
        findings: [
          { fingerprint: 'a'.repeat(32), rule: 'r', resource: 'r', path: '' },
          { fingerprint: 'b'.repeat(32), rule: 'r', resource: 'r', path: 'x' },
          { fingerprint: 'a'.repeat(32), rule: 's', resource: 'r', path: '' },
        ],
      },
      'baseline: findings[2].fingerprint: repeats the fingerprint of findings[0] (one fingerprint names one finding',
    ],
  ])('refuse bad data with one line naming the field: %j', (data, message) => {
    let error: unknown;
    try {
      parseBaseline(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect((error as Error).message).toMatch(
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });
});
