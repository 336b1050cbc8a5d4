/**
 * The rule SDK: authoring (`define*Rule`, `defineRulePackage`), catalogs built from rule packages,
 * selection queries, and how evaluation reports a rule that breaks.
 */
import { ruleQuerySchema } from '../src/evaluation/query-schema.js';
import { checkRule } from '../src/evaluation/rule-schema.js';
import {
  about,
  BUILTIN_ORIGIN,
  buildCatalog,
  type ContainerRule,
  catalog,
  defineContainerRule,
  defineRulePackage,
  defineStackRule,
  evaluate,
  FRAMEWORKS,
  fail,
  frameworksOf,
  isKnown,
  pass,
  reveal,
  unknown,
} from '../src/index.js';
import { compliantContainer } from './fixtures.js';

const ownerLabel = defineContainerRule({
  id: 'acme/owner-label',
  title: 'Containers carry an owner label',
  severity: 'medium',
  level: 'baseline',
  rationale: 'Whoever is paged for a container must be findable from the container.',
  remediation: {
    pulumi: 'Add `labels: [{ label: "com.acme.owner", value: "<team>" }]`.',
    compose: 'Add `labels: { com.acme.owner: <team> }` to the service.',
    dockerRun: 'Pass `--label com.acme.owner=<team>`.',
  },
  references: { docs: 'https://wiki.acme.example/owner-label' },
  tags: ['ownership'],
  frameworks: ['acme-baseline'],
  check(spec) {
    if (!isKnown(spec.labels))
      return spec.labels === undefined ? fail('labels', 'has no labels') : unknown('labels');
    const owner = spec.labels['com.acme.owner'];
    if (owner === undefined) return fail('labels', 'has no com.acme.owner label');
    if (!isKnown(owner)) return unknown('labels["com.acme.owner"]');
    return reveal(owner).trim() === '' ? fail('labels["com.acme.owner"]', 'has an empty owner') : pass();
  },
});

const acme = defineRulePackage({ name: '@acme/bulkhead-rules', rules: [ownerLabel] });

describe('defineRule', () => {
  it('returns the rule frozen, with its scope set', () => {
    expect(ownerLabel.scope).toBe('container');
    expect(Object.isFrozen(ownerLabel)).toBe(true);
  });
  it('refuses malformed metadata with one line naming the rule and each field', () => {
    const bad = () =>
      defineContainerRule({
        ...ownerLabel,
        severity: 'urgent' as never,
        remediation: { ...ownerLabel.remediation, compose: '' },
      });
    expect(bad).toThrow(
      'rule "acme/owner-label": severity must be one of critical, high, medium, low, info; ' +
        'remediation.compose must say something (at least 5 characters)',
    );
    expect(() => defineContainerRule({ ...ownerLabel, id: 'Acme/Owner' })).toThrow(
      /^rule "Acme\/Owner": id must be kebab-case, namespaced for a rule package/,
    );
    expect(() => defineContainerRule({ ...ownerLabel, check: 'no' as never })).toThrow(
      'rule "acme/owner-label": check must be a function',
    );
    expect(() => defineContainerRule({ ...ownerLabel, tags: ['Has Space'] })).toThrow('tags.0');
    expect(() => defineContainerRule({ ...ownerLabel, pulumiFix: { apply: 1 } as never })).toThrow(
      'rule "acme/owner-label": pulumiFix must be an object { apply(props, values) }',
    );
    const fix = { apply: () => false };
    expect(() => checkRule({ ...ownerLabel, scope: 'network', pulumiFix: fix })).toThrow(
      'rule "acme/owner-label": pulumiFix: only a container rule has a machine fix',
    );
    expect(checkRule({ ...ownerLabel, pulumiFix: fix }).id).toBe('acme/owner-label');
  });
});

describe('rule packages and catalogs', () => {
  it('adds a package to the built-ins and says where each rule comes from', () => {
    const cat = buildCatalog({ packages: [acme] });
    expect(cat.rules.length).toBe(catalog.rules.length + 1);
    expect(cat.origin('acme/owner-label')).toBe('@acme/bulkhead-rules');
    expect(cat.origin('no-privileged')).toBe(BUILTIN_ORIGIN);
    expect(cat.origin('nope')).toBeUndefined();
  });
  it("refuses a bare id in a package: bare ids are Bulkhead's own", () => {
    const bare = { ...ownerLabel, id: 'owner-label' };
    expect(() => buildCatalog({ packages: [{ name: '@acme/r', rules: [bare] }] })).toThrow(
      'rule "owner-label" (@acme/r): id must be namespaced, "<namespace>/owner-label": bare ids are Bulkhead\'s own',
    );
  });
  it('refuses an id defined twice, in one package or across two', () => {
    expect(() => defineRulePackage({ name: '@acme/r', rules: [ownerLabel, ownerLabel] })).toThrow(
      'rule "acme/owner-label" (@acme/r): id is defined twice',
    );
    expect(() => buildCatalog({ packages: [acme, { name: '@other/r', rules: [ownerLabel] }] })).toThrow(
      'rule "acme/owner-label" (@other/r): id is already defined by @acme/bulkhead-rules',
    );
  });
  it('refuses a package without a name or rules, and a rule that is not an object', () => {
    expect(() => buildCatalog({ packages: [{ name: '', rules: [] }] })).toThrow(
      "rule package 0: name must be the package's own name",
    );
    expect(() => buildCatalog({ packages: [{ name: 'x', rules: 'no' as never }] })).toThrow(
      'rule package x: rules must be a list of rules',
    );
    expect(() => buildCatalog({ packages: [{ name: 'x', rules: [null as never] }] })).toThrow(
      'rule x rules[0] (x): expected a rule object',
    );
  });
});

describe('selection queries', () => {
  const cat = buildCatalog({ packages: [acme] });
  const ids = (q: Parameters<typeof cat.select>[0]) => cat.select(q).map((r) => r.id);
  it('selects by profile, severity, tag, framework and ids, keys ANDed and values ORed', () => {
    expect(ids({})).toHaveLength(cat.rules.length);
    expect(ids({ tags: ['ownership'] })).toEqual(['acme/owner-label']);
    expect(ids({ frameworks: ['acme-baseline'] })).toEqual(['acme/owner-label']);
    expect(ids({ include: ['acme/*'] })).toEqual(['acme/owner-label']);
    expect(ids({ severity: ['critical'], profile: 'baseline' })).toEqual(
      catalog
        .profile('baseline')
        .filter((r) => r.severity === 'critical')
        .map((r) => r.id),
    );
    expect(ids({ include: ['no-host-*'], exclude: ['no-host-pid'] })).not.toContain('no-host-pid');
    expect(ids({ frameworks: ['pss', 'acme-baseline'] })).toContain('acme/owner-label');
  });
  it('maps the built-ins to CIS, PSS and NIST SP 800-190 where they apply', () => {
    expect(Object.keys(FRAMEWORKS)).toEqual(['cis', 'pss', 'nist-800-190']);
    expect(frameworksOf(catalog.get('no-privileged')!)).toEqual(['cis', 'pss', 'nist-800-190']);
    expect(ids({ frameworks: ['nist-800-190'] }).length).toBeGreaterThan(40);
    for (const r of catalog.rules)
      if (r.references.nist) expect(r.references.nist).toMatch(/^4\.[1-5]\.[1-5]$/);
  });
  it('refuses include or exclude ids that match no rule, naming them', () => {
    expect(() => cat.select({ include: ['acme/onwer-label'] })).toThrow(
      'rule selection: include: "acme/onwer-label" names no rule in the catalog',
    );
  });
  it('validates a query with one schema, naming the key', () => {
    const r = ruleQuerySchema().safeParse({ severity: ['urgent'], tag: ['x'] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'severity.0: severity entries must be one of critical, high, medium, low, info',
      ': unknown key "tag": a selection takes profile, severity, tags, frameworks, include, exclude',
    ]);
  });
  it('is what evaluate runs with `select`', () => {
    const report = evaluate(
      { containers: [compliantContainer()], networks: [] },
      { catalog: cat, select: { include: ['acme/*'] } },
    );
    expect(report.summary.rules).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.status, f.path])).toEqual([
      ['acme/owner-label', 'fail', 'labels'],
    ]);
  });
});

describe('a rule that breaks', () => {
  const broken = (check: ContainerRule['check']) =>
    buildCatalog({
      builtins: false,
      packages: [{ name: 'p', rules: [{ ...ownerLabel, id: 'p/broken', check }] }],
    });
  const judge = (check: ContainerRule['check']) =>
    evaluate({ containers: [compliantContainer()], networks: [] }, { catalog: broken(check) });
  it.each([
    ['a status that is not one', () => ({ status: 'bad' }) as never, 'status must be pass, fail or unknown'],
    ['no path', () => ({ status: 'fail', message: 'm' }) as never, 'path must be a spec path string'],
    ['no message', () => ({ status: 'fail', path: 'image' }) as never, 'message must be a string'],
    [
      'a severity that is not one',
      () => ({ ...fail('image', 'm'), severity: 'x' }) as never,
      'severity must be one of',
    ],
    ['nothing', () => undefined as never, 'an outcome must be an object'],
    ['a list holding null', () => [null] as never, 'an outcome must be an object'],
  ])('reports an outcome with %s as a malformed outcome naming the rule', (_what, check, text) => {
    const { findings, summary } = judge(check);
    expect(findings.map((f) => f.status)).toEqual(['error']);
    expect(findings[0]!.message).toContain(`rule p/broken returned a malformed outcome: ${text}`);
    expect(summary.error).toBe(1);
  });
  it('never echoes what a throwing rule said (it may quote a secret)', () => {
    const { findings } = judge(() => {
      throw new TypeError('canary-s3cr3t');
    });
    expect(findings[0]!.message).toBe(
      'the rule threw TypeError on this resource (the other rules ran); fix or report the rule',
    );
    expect(JSON.stringify(findings)).not.toContain('canary');
  });
  it('reports a stack rule outcome once per resource it names', () => {
    const { example: _containerExample, ...meta } = ownerLabel;
    const oneLabel = defineStackRule({
      ...meta,
      id: 'acme/unique-owner',
      check: ({ containers }) => containers.flatMap((c) => about(c, fail('labels', 'shares its owner'))),
    });
    const cat = buildCatalog({ builtins: false, packages: [{ name: 'p', rules: [oneLabel] }] });
    const two = [
      compliantContainer(),
      compliantContainer({ source: { kind: 'compose', name: 'b', type: 's' } }),
    ];
    expect(evaluate({ containers: two, networks: [] }, { catalog: cat }).findings).toHaveLength(2);
  });
});
