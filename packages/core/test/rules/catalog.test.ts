import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog, catalog, profiles } from '../../src/evaluation/catalog.js';
import type { ContainerSpec, NetworkSpec } from '../../src/model/spec.js';
import { isUnknown, UNKNOWN } from '../../src/model/value.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { ContainerRule, NetworkRule, Outcome, Rule } from '../../src/rules/types.js';
import { compliantContainer, compliantNetwork } from '../fixtures.js';

/** CIS Docker Benchmark v1.6 recommendation ids (sections 4 and 5) that container settings map to. */
const CIS_V16 = /^(4\.(1[0-2]|[1-9])|5\.([1-9]|[12]\d|3[0-2]))$/;

const run = (rule: Rule, spec: ContainerSpec | NetworkSpec): Outcome[] => {
  const out = (rule as ContainerRule | NetworkRule).check(spec as never);
  return Array.isArray(out) ? [...out] : [out as Outcome];
};
const containerRules = ALL_RULES.filter((r): r is ContainerRule => r.scope === 'container');
const networkRules = ALL_RULES.filter((r): r is NetworkRule => r.scope === 'network');

describe('the rule catalog', () => {
  it('has at least 40 rules with unique kebab-case ids and loads without error', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => new Catalog(ALL_RULES)).not.toThrow();
    expect(catalog.rules.map((r) => r.id)).toEqual(ids);
  });

  it('has rules of every scope and both profiles, restricted including baseline', () => {
    expect(new Set(ALL_RULES.map((r) => r.scope))).toEqual(new Set(['container', 'network', 'stack']));
    expect(profiles.baseline.length).toBeGreaterThan(15);
    expect(profiles.restricted.length).toBe(ALL_RULES.length);
    expect(profiles.baseline.every((r) => r.level === 'baseline')).toBe(true);
  });

  describe.each(ALL_RULES.map((r) => [r.id, r] as const))('%s metadata', (_id, rule) => {
    it('is complete: title, rationale, three remediations and an https docs link', () => {
      expect(rule.title.trim().length).toBeGreaterThan(10);
      expect(rule.rationale.trim().length).toBeGreaterThan(60);
      for (const how of [rule.remediation.pulumi, rule.remediation.compose, rule.remediation.dockerRun]) {
        expect(how.trim().length).toBeGreaterThan(10);
      }
      expect(rule.references.docs).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
    });
    it('carries an insecure example and has its own test file, named by its id', () => {
      expect(rule.example).toBeDefined();
      expect(existsSync(join(__dirname, `${rule.id}.test.ts`))).toBe(true);
    });
    it('cites a CIS v1.6 id and a PSS control in the expected forms when it cites them', () => {
      if (rule.references.cis !== undefined) expect(rule.references.cis).toMatch(CIS_V16);
      if (rule.references.pss !== undefined)
        expect(rule.references.pss).toMatch(/^[A-Z][A-Za-z -]+ \((baseline|restricted)\)$/);
    });
  });
});

describe('the rule test files', () => {
  it('are one per rule, named by its id (plus the catalog and the rule helpers)', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts'));
    const ids = new Set(ALL_RULES.map((r) => `${r.id}.test.ts`));
    expect(files.filter((f) => !ids.has(f)).sort()).toEqual(['catalog.test.ts', 'support.test.ts']);
  });
});

describe('every container and network rule', () => {
  it('passes the compliant container and the compliant network', () => {
    const failing = [
      ...containerRules.flatMap((r) =>
        run(r, compliantContainer())
          .filter((o) => o.status !== 'pass')
          .map(() => r.id),
      ),
      ...networkRules.flatMap((r) =>
        run(r, compliantNetwork())
          .filter((o) => o.status !== 'pass')
          .map(() => r.id),
      ),
    ];
    expect(failing).toEqual([]);
  });

  const fields = Object.keys(compliantContainer()).filter((k) => k !== 'source') as (keyof ContainerSpec)[];
  it.each(fields)(
    'never fails, only passes or is unknown, when %s of the compliant fixture is unknown',
    (field) => {
      const spec = compliantContainer({ [field]: UNKNOWN });
      const fails = containerRules.flatMap((r) =>
        run(r, spec)
          .filter((o) => o.status === 'fail')
          .map((o) => `${r.id} ${o.status}`),
      );
      expect(fails).toEqual([]);
    },
  );

  it.each(fields)('never fails when one item or value inside %s is unknown', (field) => {
    const base = compliantContainer()[field] as unknown;
    let value: unknown;
    // An unknown entry added to an empty `ports` list is still a published port: that is a known fact.
    if (field === 'ports') return;
    if (Array.isArray(base))
      value = base.length > 0 ? base.map((v, i) => (i === 0 ? UNKNOWN : v)) : [UNKNOWN];
    else if (base && typeof base === 'object' && !isUnknown(base)) {
      value = Object.fromEntries(Object.keys(base).map((k) => [k, UNKNOWN]));
    } else return;
    const spec = compliantContainer({ [field]: value } as Partial<ContainerSpec>);
    const fails = containerRules.flatMap((r) =>
      run(r, spec)
        .filter((o) => o.status === 'fail')
        .map(() => r.id),
    );
    expect(fails).toEqual([]);
  });

  it('never fails on a network whose fields are all unknown', () => {
    const spec = compliantNetwork({ internal: UNKNOWN, driver: UNKNOWN, options: UNKNOWN });
    expect(networkRules.flatMap((r) => run(r, spec).filter((o) => o.status === 'fail'))).toEqual([]);
  });

  const garbage: unknown[] = [null, 42, 'text', true, [], [null], [42], {}, { a: null }, [{}], [{ name: 7 }]];
  it.each(fields)('never throws whatever odd value %s holds', (field) => {
    for (const g of garbage) {
      const spec = compliantContainer({ [field]: g } as Partial<ContainerSpec>);
      for (const r of containerRules) expect(() => run(r, spec)).not.toThrow();
    }
  });
});

describe('messages', () => {
  it('never echo an input value, even when every free-text field of a failing container carries one', () => {
    const S = 'Zq7sentinel';
    const spec = compliantContainer({
      image: `registry.example/${S}:latest`,
      user: `${S}:${S}`,
      groupAdd: [S],
      capAdd: [S, 'SYS_ADMIN'],
      capDrop: [S],
      securityOpt: [
        `seccomp=/etc/${S}.json`,
        `label=type:${S}_t`,
        `apparmor=${S}`,
        'no-new-privileges:false',
      ],
      tmpfs: { [`/${S}`]: `rw,size=${S}` },
      mounts: [
        { type: 'bind', source: `/var/run/${S}/docker.sock`, target: `/${S}` },
        { type: 'bind', source: `/etc/../etc`, target: `/${S}`, propagation: 'rshared' },
      ],
      networkMode: S,
      cgroupParent: `/${S}`,
      cgroupnsMode: S,
      devices: [{ hostPath: `/dev/${S}` }],
      gpus: S,
      ports: [{ containerPort: 80, hostPort: 81, hostIp: '0.0.0.0' }],
      healthcheck: { test: [S] },
      restart: { policy: S },
      sysctls: { [`net.${S}`]: S },
      ulimits: [{ name: S, soft: 1, hard: 1 }],
      env: [
        { name: `${S}_PASSWORD`, value: `${S}value` },
        { name: 'CONFIG', value: `postgres://u:${S}@db/x` },
      ],
      logDriver: 'json-file',
      logOpts: { 'max-size': S },
      runtime: S,
    });
    const fails = containerRules.flatMap((r) => run(r, spec).filter((o) => o.status === 'fail'));
    expect(fails.length).toBeGreaterThan(20);
    for (const o of fails)
      if (o.status !== 'pass') expect(o.message.toLowerCase()).not.toContain(S.toLowerCase());
  });
});
