/**
 * The engine's contract in detail: finding fields, summaries, exemption matching and expiry,
 * path translation and locations, and how it survives rules that throw. Written against the
 * surviving mutants of a Stryker run (docs/mutation-testing.md): each case pins one behaviour a
 * reporter, the policy pack or a component relies on.
 */

import { exemptionSchema, formatZodError } from '../src/evaluation/exemption-schema.js';
import { globMatcher, isExpired } from '../src/evaluation/exemptions.js';
import {
  catalog as bulkheadCatalog,
  Catalog,
  type ContainerRule,
  type ContainerSpec,
  evaluate,
  fromCompose,
  fromDockerInspect,
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiServiceArgs,
  InputError,
  type NetworkRule,
  type NetworkSpec,
  parseExemptions,
  type Rule,
  type RuleMeta,
  Secret,
  type StackRule,
  sourcePath,
  UNKNOWN,
} from '../src/index.js';
import { compliantContainer, compliantNetwork } from './fixtures.js';

const meta = (id: string, over: Partial<RuleMeta> = {}): RuleMeta => ({
  id,
  title: `title of ${id}`,
  severity: 'high',
  level: 'baseline',
  rationale: 'why it matters',
  remediation: { pulumi: 'p', compose: 'c', dockerRun: 'd' },
  references: { docs: 'https://example.invalid' },
  ...over,
});

/** A container rule failing every container at `path`. */
const failing = (id: string, path = 'privileged', over: Partial<RuleMeta> = {}): ContainerRule => ({
  ...meta(id, over),
  scope: 'container',
  check: () => ({ status: 'fail', path, message: `${id} failed` }),
});

const run = (rules: (ContainerRule | NetworkRule | StackRule)[], containers: ContainerSpec[], more = {}) =>
  evaluate({ containers, networks: [] }, { catalog: new Catalog(rules), ...more });

describe('catalog', () => {
  it('rejects an unknown severity or level, naming the rule', () => {
    expect(() => new Catalog([{ ...failing('a'), severity: 'urgent' as never }])).toThrow(
      'rule a: unknown severity',
    );
    expect(() => new Catalog([{ ...failing('b'), level: 'paranoid' as never }])).toThrow(
      'rule b: unknown level',
    );
  });
  it('keeps the rule list and each profile, in catalog order, frozen and computed once', () => {
    const cat = new Catalog([failing('x', 'a', { level: 'restricted' }), failing('y'), failing('z')]);
    expect(cat.rules.map((r) => r.id)).toStrictEqual(['x', 'y', 'z']);
    expect(cat.profile('baseline').map((r) => r.id)).toStrictEqual(['y', 'z']);
    expect(cat.profile('restricted').map((r) => r.id)).toStrictEqual(['x', 'y', 'z']);
    expect(cat.profile('baseline')).toBe(cat.profile('baseline'));
    expect(Object.isFrozen(cat.profile('restricted'))).toBe(true);
    expect(Object.isFrozen(cat.rules)).toBe(true);
  });
  it('answers profile membership for its own rules only', () => {
    const [x, y] = [failing('x', 'a', { level: 'restricted' }), failing('y')];
    const cat = new Catalog([x, y]);
    const [cx, cy] = cat.rules as [Rule, Rule];
    expect([cat.inProfile('baseline', cx), cat.inProfile('baseline', cy)]).toStrictEqual([false, true]);
    expect([cat.inProfile('restricted', cx), cat.inProfile('restricted', cy)]).toStrictEqual([true, true]);
    expect(cat.inProfile('restricted', failing('z'))).toBe(false);
  });
});

describe('evaluate: findings', () => {
  it('fills every finding field from the rule and the resource', () => {
    const spec = compliantContainer();
    spec.source.parent = 'urn:pulumi:dev::app::bulkhead:docker:HardenedContainer::web';
    const [f, ...rest] = run([failing('r1', 'privileged', { severity: 'low', title: 'T' })], [spec]).findings;
    expect(rest).toStrictEqual([]);
    expect(f).toStrictEqual({
      ruleId: 'r1',
      title: 'T',
      severity: 'low',
      status: 'fail',
      resource: {
        kind: 'pulumi',
        scope: 'container',
        name: 'web',
        type: 'docker:index/container:Container',
        urn: spec.source.urn,
        parent: spec.source.parent,
      },
      path: 'privileged',
      specPath: 'privileged',
      message: 'r1 failed',
    });
  });
  it('leaves out urn, parent and location when the source has none', () => {
    const spec = compliantContainer({ source: { kind: 'compose', name: 'web', type: 'compose:service' } });
    const [f] = run([failing('r1')], [spec]).findings;
    expect(f!.resource).toStrictEqual({
      kind: 'compose',
      scope: 'container',
      name: 'web',
      type: 'compose:service',
    });
    expect('location' in f!).toBe(false);
    expect('exemption' in f!).toBe(false);
  });
  it('reports no exemption problems without exemptions, and reads resources without labels', () => {
    const bare = compliantContainer();
    delete bare.labels;
    const report = run([failing('r1')], [bare]);
    expect(report.exemptionProblems).toStrictEqual([]);
    expect(report.findings.map((f) => f.status)).toStrictEqual(['fail']);
  });
  it("reports a container rule that throws as that rule's error on the resource, and keeps going", () => {
    const throwing: ContainerRule = {
      ...meta('boom'),
      scope: 'container',
      check: () => {
        throw new Error('secret-ish detail');
      },
    };
    const report = run([throwing, failing('after')], [compliantContainer()]);
    expect(report.findings.map((f) => [f.ruleId, f.status, f.path, f.message])).toStrictEqual([
      [
        'boom',
        'error',
        '',
        'the rule threw Error on this resource (the other rules ran); fix or report the rule',
      ],
      ['after', 'fail', 'privileged', 'after failed'],
    ]);
  });
  it('reports a stack rule that throws, or an outcome without a target, as errors on each resource, and scopes stack findings by their target', () => {
    const web = compliantContainer();
    const net = compliantNetwork();
    const throwing: StackRule = {
      ...meta('stack-boom'),
      scope: 'stack',
      check: () => {
        throw new Error('x');
      },
    };
    const both: StackRule = {
      ...meta('stack-both'),
      scope: 'stack',
      check: ({ containers, networks }) => [
        { status: 'fail', path: 'networks[0]', message: 'on the container', resource: containers[0]! },
        { status: 'unknown', path: 'internal', message: 'on the network', resource: networks[0]! },
        { status: 'fail', path: 'x', message: 'no target' } as never,
      ],
    };
    const report = evaluate(
      { containers: [web], networks: [net] },
      { catalog: new Catalog([throwing, both]) },
    );
    expect(report.findings.map((f) => [f.ruleId, f.resource.scope, f.resource.name, f.status])).toStrictEqual(
      [
        ['stack-boom', 'container', 'web', 'error'],
        ['stack-boom', 'network', 'web-internal', 'error'],
        ['stack-both', 'container', 'web', 'fail'],
        ['stack-both', 'network', 'web-internal', 'unknown'],
        ['stack-both', 'container', 'web', 'error'],
        ['stack-both', 'network', 'web-internal', 'error'],
      ],
    );
  });
  it('runs network rules over networks only', () => {
    const netRule: NetworkRule = {
      ...meta('net'),
      scope: 'network',
      check: () => ({ status: 'fail', path: 'internal', message: 'n' }),
    };
    const report = evaluate(
      { containers: [compliantContainer()], networks: [compliantNetwork()] },
      { catalog: new Catalog([netRule]) },
    );
    expect(report.findings.map((f) => [f.resource.scope, f.resource.name])).toStrictEqual([
      ['network', 'web-internal'],
    ]);
  });
  it('skips entries that are not specs: no source, or a source without a name', () => {
    const odd = [null, {}, { source: null }, { source: { name: 7 } }] as unknown as ContainerSpec[];
    const report = evaluate(
      { containers: [...odd, compliantContainer()], networks: odd as unknown as NetworkSpec[] },
      { catalog: new Catalog([failing('r1')]) },
    );
    expect(report.findings).toHaveLength(1);
    expect(report.summary).toMatchObject({ containers: 1, networks: 0 });
  });
  it('treats a missing or malformed resource set as empty', () => {
    for (const set of [undefined, null, { containers: 'x', networks: 3 }]) {
      const report = evaluate(set as never, { catalog: new Catalog([failing('r1')]) });
      expect(report.findings).toStrictEqual([]);
      expect(report.summary).toMatchObject({ containers: 0, networks: 0, rules: 1 });
    }
  });
});

describe('evaluate: summary', () => {
  it('counts fail, unknown and exempt findings and failures per severity', () => {
    const unknownRule: ContainerRule = {
      ...meta('u'),
      scope: 'container',
      check: () => ({ status: 'unknown', path: 'user', message: 'not known yet' }),
    };
    const rules = [
      failing('c1', 'a', { severity: 'critical' }),
      failing('c2', 'b', { severity: 'critical' }),
      failing('m1', 'c', { severity: 'medium' }),
      failing('ex', 'd', { severity: 'low' }),
      unknownRule,
    ];
    const a = compliantContainer();
    const b = compliantContainer({ source: { kind: 'pulumi', name: 'api', type: a.source.type } });
    const c = compliantContainer({ source: { kind: 'pulumi', name: 'db', type: a.source.type } });
    const exemptions = parseExemptions([
      { rule: 'ex', resource: '*', reason: 'accepted for this test' },
      { rule: 'm1', resource: 'db', reason: 'accepted for the database' },
    ]);
    const { summary } = run(rules, [a, b, c], { exemptions });
    expect(summary).toStrictEqual({
      error: 0,
      containers: 3,
      networks: 0,
      rules: 5,
      fail: 8,
      unknown: 3,
      exempt: 4,
      failBySeverity: { critical: 6, high: 0, medium: 2, low: 0, info: 0 },
    });
  });
});

describe('evaluate: exemptions', () => {
  const spec = () => compliantContainer();
  const now = new Date('2030-06-15T12:00:00Z');

  it('matches a config exemption by URN when the name does not match, and copies its expiry', () => {
    const exemptions = parseExemptions([
      { rule: 'r1', resource: '*::web', reason: 'matched through the urn', expires: '2030-06-15' },
    ]);
    const [f] = run([failing('r1')], [spec()], { exemptions, now }).findings;
    expect(f!.exemption).toStrictEqual({
      reason: 'matched through the urn',
      from: 'config',
      expires: '2030-06-15',
    });
    const noUrn = compliantContainer({ source: { kind: 'compose', name: 'other', type: 'compose:service' } });
    expect(run([failing('r1')], [noUrn], { exemptions, now }).findings[0]!.status).toBe('fail');
  });
  it('applies an exemption only to its own rule', () => {
    const exemptions = parseExemptions([{ rule: 'r2', resource: 'web', reason: 'only for the second rule' }]);
    const report = run([failing('r1'), failing('r2')], [spec()], { exemptions });
    expect(report.findings.map((f) => [f.ruleId, f.status])).toStrictEqual([
      ['r1', 'fail'],
      ['r2', 'exempt'],
    ]);
    expect(report.findings[1]!.exemption).toStrictEqual({
      reason: 'only for the second rule',
      from: 'config',
    });
    // A config exemption for another resource, by name or URN, does not apply.
    const other = parseExemptions([{ rule: 'r1', resource: 'db', reason: 'for the database only' }]);
    expect(run([failing('r1')], [spec()], { exemptions: other }).findings[0]!.status).toBe('fail');
  });
  it('words each exemption problem with its index', () => {
    const exemptions = parseExemptions([
      { rule: 'nope', reason: 'rule id with a typo in it' },
      { rule: 'r1', reason: 'expired some time ago', expires: '2020-01-31' },
      { rule: 'r1', resource: 'db', reason: 'matches no resource at all' },
    ]);
    expect(run([failing('r1')], [spec()], { exemptions, now }).exemptionProblems).toStrictEqual([
      { index: 0, kind: 'unknown-rule', message: 'exemptions[0].rule: no rule has this id' },
      { index: 1, kind: 'expired', message: 'exemptions[1] expired on 2020-01-31' },
      { index: 2, kind: 'unused', message: 'exemptions[2] (rule r1) matched no finding' },
    ]);
  });
  it('honours a label until its expiry day ends, and records the expiry', () => {
    const labelled = (labels: Record<string, unknown>) => compliantContainer({ labels: labels as never });
    const reason = 'label reason of enough length';
    const exempt = (labels: Record<string, unknown>, at = now) =>
      run([failing('r1')], [labelled(labels)], { now: at }).findings[0]!.exemption;
    expect(
      exempt({ 'dev.bulkhead.exempt.r1': reason, 'dev.bulkhead.exempt-expires.r1': '2030-06-15' }),
    ).toStrictEqual({
      reason,
      from: 'label',
      expires: '2030-06-15',
    });
    expect(
      exempt({ 'dev.bulkhead.exempt.r1': reason, 'dev.bulkhead.exempt-expires.r1': '2030-06-14' }),
    ).toBeUndefined();
    expect(
      exempt({ 'dev.bulkhead.exempt.r1': reason, 'dev.bulkhead.exempt-expires.r1': UNKNOWN }),
    ).toStrictEqual({
      reason,
      from: 'label',
    });
    // A label for another rule, an unknown reason, and unknown labels exempt nothing.
    expect(exempt({ 'dev.bulkhead.exempt.r2': reason })).toBeUndefined();
    expect(exempt({ 'dev.bulkhead.exempt.r1': UNKNOWN })).toBeUndefined();
    expect(
      run([failing('r1')], [compliantContainer({ labels: UNKNOWN })]).findings[0]!.exemption,
    ).toBeUndefined();
  });
  it('checks a secret label reason but never shows it, and needs ten visible characters after trimming', () => {
    const run1 = (reason: unknown) =>
      run([failing('r1')], [compliantContainer({ labels: { 'dev.bulkhead.exempt.r1': reason } as never })])
        .findings[0]!;
    // The reason used to be copied into the finding in clear: a secret reason leaked to every report.
    expect(run1(new Secret('  eleven chars!  ')).exemption).toStrictEqual({
      reason: '[secret]',
      from: 'label',
    });
    expect(run1(new Secret('  TODO: explain  ')).ignoredExemption).toStrictEqual({
      reason: '[secret]',
      from: 'label',
      why: expect.stringContaining('placeholder'),
    });
    expect(run1('0123456789').status).toBe('exempt');
    expect(run1('  012345678  ').status).toBe('fail');
  });
  it('prefers a config exemption over a label, and ignores labels when asked to', () => {
    const labels = { 'dev.bulkhead.exempt.r1': 'the label gives this reason' };
    const exemptions = parseExemptions([{ rule: 'r1', reason: 'the config gives this reason' }]);
    const c = compliantContainer({ labels });
    expect(run([failing('r1')], [c], { exemptions }).findings[0]!.exemption?.from).toBe('config');
    expect(run([failing('r1')], [c], { labelExemptions: false }).findings[0]!.status).toBe('fail');
  });
});

describe('sourcePath and locations', () => {
  const mapped = compliantContainer();
  mapped.source.fieldPaths = { capDrop: 'capabilities.drops', securityOpt: 'securityOpts' };
  it.each([
    ['capDrop[12]', 'capabilities.drops[12]'],
    ['securityOpt[3].value', 'securityOpts[3].value'],
    ['user', 'user'],
    // Not field paths: returned as given.
    ['[0]', '[0]'],
    ['1user', '1user'],
    ['', ''],
  ])('maps top-level fields, keeping indexes and the rest: %j → %j', (from, to) =>
    expect(sourcePath(mapped, from)).toBe(to),
  );

  const withOrigins = (fieldPaths?: Record<string, string>) => {
    const spec = compliantContainer({
      mounts: [
        { type: 'bind', source: '/a', target: '/a' },
        { type: 'bind', source: '/b', target: '/b', origin: 'volumes[10]' },
      ],
    });
    if (fieldPaths) spec.source.fieldPaths = fieldPaths;
    return spec;
  };
  it.each([
    ['mounts[0].source', 'mountsList[0].source'],
    ['mounts[1].source', 'volumes[10].hostPath'],
    ['mounts[1].source.x', 'volumes[10].hostPath.x'],
    ['mounts[1].target', 'volumes[10].target'],
    ['mounts[1]', 'volumes[10]'],
    ['mounts[7].source', 'mountsList[7].source'],
  ])('uses an item origin only for list items that have one: %j → %j', (from, to) =>
    expect(sourcePath(withOrigins({ mounts: 'mountsList', 'volumes[].source': 'hostPath' }), from)).toBe(to),
  );
  it('keeps an origin without field renames', () =>
    expect(sourcePath(withOrigins(), 'mounts[1].source')).toBe('volumes[10].source'));
  it("finds the item origin at a two-digit index, and strips only the origin's last index", () => {
    const mounts = Array.from({ length: 12 }, (_, i) => ({
      type: 'bind' as const,
      source: `/m${i}`,
      target: `/m${i}`,
      origin: `services[0].volumes[${i}]`,
    }));
    const spec = compliantContainer({ mounts: [...mounts, null as never] });
    spec.source.fieldPaths = { 'services[0].volumes[].source': 'hostPath' };
    expect(sourcePath(spec, 'mounts[11].source')).toBe('services[0].volumes[11].hostPath');
    expect(sourcePath(spec, 'mounts[12]')).toBe('mounts[12]');
  });
  it('locates a finding at the nearest located parent path, else at the resource', () => {
    const spec = compliantContainer();
    const at = (line: number) => ({ file: 'compose.yml', line });
    spec.source.location = at(1);
    spec.source.locations = new Map([
      ['services.web', at(2)],
      ['services.web.cap_add', at(5)],
    ]);
    spec.source.fieldPaths = { capAdd: 'services.web.cap_add', user: 'services.web.user', image: 'x' };
    const line = (path: string) => run([failing('r1', path)], [spec]).findings[0]!.location?.line;
    expect(line('capAdd[3]')).toBe(5);
    expect(line('user')).toBe(2);
    expect(line('image')).toBe(1);
  });
});

describe('exemptions schema', () => {
  const errors = (data: unknown): string => {
    try {
      parseExemptions(data);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).name).toBe('InputError');
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('names each bad field with its fix', () => {
    expect(errors([{ rule: 5, resource: 7, reason: 3, expires: '2030-1-1' }])).toBe(
      [
        'Invalid exemptions:',
        '  [0].rule: rule must be a rule id (see `bulkhead rules list`)',
        '  [0].resource: resource must be a name, URN or glob such as "web-*"',
        '  [0].reason: reason is required: write why this risk is accepted',
        '  [0].expires: expires must be a date as YYYY-MM-DD',
      ].join('\n'),
    );
    const second = errors([{ rule: '', resource: '', reason: 'long enough reason', expires: '2030-02-31' }]);
    expect(second.split('\n')).toStrictEqual([
      'Invalid exemptions:',
      '  [0].rule: rule must not be empty',
      expect.stringMatching(/^ {2}\[0\]\.resource: /),
      '  [0].expires: expires must be a real calendar date',
    ]);
  });
  it('reads a list or {exemptions: [...]}, defaults the resource to every resource, and trims the reason', () => {
    const one = { rule: 'r1', reason: '  trimmed reason here  ' };
    const expected = [{ rule: 'r1', resource: '*', reason: 'trimmed reason here' }];
    expect(parseExemptions([one])).toStrictEqual(expected);
    expect(parseExemptions({ exemptions: [one] })).toStrictEqual(expected);
    expect(exemptionSchema().parse(one)).toStrictEqual(expected[0]);
    expect(errors({ exemptions: [one], extra: 1 })).toMatch(/^Invalid exemptions:\n {2}\(root\): /);
    for (const bad of ['a string', 5, null, { exemptions: 'x' }]) {
      expect(errors(bad)).toMatch(
        /: expected a list of exemptions, or an object \{ exemptions: \[\.\.\.\] \}$/,
      );
    }
    let paths: readonly string[] = [];
    try {
      parseExemptions('x');
    } catch (e) {
      paths = (e as InputError).paths;
    }
    expect(paths).toStrictEqual(['(root)']);
  });
  it('formats zod errors under a heading and a root path, with the paths listed', () => {
    const result = exemptionSchema().safeParse({ rule: 'r', reason: 'short' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const e = formatZodError('Bad:', result.error, 'settings');
    expect(e.message).toBe(
      'Bad:\n  settings.reason: reason must have at least 10 visible characters: write why this risk is accepted',
    );
    expect(e.paths).toStrictEqual(['settings.reason']);
    expect(new InputError('x').paths).toStrictEqual([]);
  });
  it('matches globs on the whole string, with regex characters taken literally', () => {
    expect(globMatcher('*')('anything at all')).toBe(true);
    expect(globMatcher('*')('two\nlines')).toBe(true);
    expect(globMatcher('')('')).toBe(true);
    expect(globMatcher('')('x')).toBe(false);
    expect(globMatcher('web-*')('web-1')).toBe(true);
    expect(globMatcher('web-*')('api-web-1')).toBe(false);
    expect(globMatcher('a.b')('a.b')).toBe(true);
    expect(globMatcher('a.b')('axb')).toBe(false);
    expect(globMatcher('a+(b)?[c]{1}|$^\\')('a+(b)?[c]{1}|$^\\')).toBe(true);
    expect(globMatcher('*x')('yx')).toBe(true);
    expect(globMatcher('*x')('xy')).toBe(false);
  });
  it('expires an exemption only after its expiry day has ended (UTC)', () => {
    const e = { rule: 'r', resource: '*', reason: 'r'.repeat(10) };
    expect(isExpired(e, new Date('1970-01-01'))).toBe(false);
    expect(isExpired({ ...e, expires: '2030-06-15' }, new Date('2030-06-15T23:59:59.999Z'))).toBe(false);
    expect(isExpired({ ...e, expires: '2030-06-15' }, new Date('2030-06-16T00:00:00.000Z'))).toBe(true);
  });
});

describe('evaluate: speed-minded invariants', () => {
  it('re-reads a list changed in place between two evaluations (parses are shared within one only)', () => {
    const spec = compliantContainer({ securityOpt: ['no-new-privileges:true'] });
    const only = ['seccomp-not-unconfined', 'no-new-privileges'];
    const first = evaluate({ containers: [spec], networks: [] }, { only });
    expect(first.findings).toStrictEqual([]);
    (spec.securityOpt as string[]).push('seccomp=unconfined');
    (spec.securityOpt as string[]).shift();
    const second = evaluate({ containers: [spec], networks: [] }, { only });
    expect(second.findings.map((f) => [f.ruleId, f.specPath])).toStrictEqual([
      ['no-new-privileges', 'securityOpt'],
      ['seccomp-not-unconfined', 'securityOpt[0]'],
    ]);
  });
  it('builds every spec with the same members in the same order, whatever the adapter and input', () => {
    const compose = fromCompose(
      'services:\n  a: {image: x, cap_drop: [ALL]}\n  b: {}\nnetworks:\n  n: {}\n  e: {external: true}\n',
      'c.yaml',
    );
    const inspect = fromDockerInspect([
      { Id: 'a', Name: '/a', Config: { Image: 'x', User: '1' }, HostConfig: { Privileged: true } },
      { Id: 'n', Name: 'n', Driver: 'bridge', Internal: true },
    ]);
    const containers = [
      ...compose.containers,
      ...inspect.containers,
      fromPulumiContainerArgs({ image: 'x' }),
      fromPulumiContainerArgs({ image: 'x', user: '1', capabilities: { drops: ['ALL'] }, labels: [] }),
      fromPulumiContainerArgs(UNKNOWN as never),
      fromPulumiServiceArgs({ taskSpec: { containerSpec: { image: 'x' } } }),
    ];
    const networks = [
      ...compose.networks,
      ...inspect.networks,
      fromPulumiNetworkArgs({ name: 'n', internal: true }),
      fromPulumiNetworkArgs(UNKNOWN as never),
    ];
    expect(containers.length).toBe(7);
    expect(networks.length).toBe(6); // compose adds its implicit `default` network
    const shape = (o: object) => Object.keys(o).join(',');
    expect(new Set(containers.map(shape)).size).toBe(1);
    expect(new Set(networks.map(shape)).size).toBe(1);
    // Every field the rules may read is a member, so no spec changes shape after it is built.
    expect(shape(containers[0]!)).toContain('learnedSeccomp');
    expect(bulkheadCatalog.rules.length).toBeGreaterThan(33);
  });
  it('reports only the failing outcomes of a rule that returns several, passes included', () => {
    const mixed: ContainerRule = {
      ...meta('mixed'),
      scope: 'container',
      check: () => [
        { status: 'pass' },
        { status: 'fail', path: 'user', message: 'bad user' },
        { status: 'pass' },
      ],
    };
    const report = evaluate(
      { containers: [compliantContainer()], networks: [] },
      { catalog: new Catalog([mixed]) },
    );
    expect(report.findings.map((f) => [f.ruleId, f.status, f.path])).toStrictEqual([
      ['mixed', 'fail', 'user'],
    ]);
  });
  it('ignores a passing stack outcome, and reports one about a resource outside the set as a network', () => {
    const web = compliantContainer();
    const stranger = compliantContainer({ source: { kind: 'pulumi', name: 'stranger', type: 't' } });
    const stack: StackRule = {
      ...meta('stack-mixed'),
      scope: 'stack',
      check: ({ containers }) => [
        { status: 'pass', resource: containers[0]! } as never,
        { status: 'fail', path: 'networks', message: 'outside', resource: stranger },
        { status: 'fail', path: 'networks', message: 'inside', resource: containers[0]! },
      ],
    };
    const report = evaluate({ containers: [web], networks: [] }, { catalog: new Catalog([stack]) });
    expect(report.findings.map((f) => [f.resource.name, f.resource.scope, f.message])).toStrictEqual([
      ['stranger', 'network', 'outside'],
      ['web', 'container', 'inside'],
    ]);
  });
  it("translates an indexed path through each spec's own item origins, not the first one seen", () => {
    const fromVolumes = compliantContainer({
      mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/s', origin: 'volumes[0]' }],
    });
    const fromMounts = compliantContainer({
      source: { ...compliantContainer().source, name: 'other' },
      mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/s', origin: 'mounts[0]' }],
    });
    // Both have the same field map (none), so only the items' origins tell their paths apart.
    const report = evaluate(
      { containers: [fromVolumes, fromMounts], networks: [] },
      { only: ['no-docker-socket'] },
    );
    expect(report.findings.map((f) => [f.resource.name, f.path])).toStrictEqual([
      ['web', 'volumes[0].source'],
      ['other', 'mounts[0].source'],
    ]);
  });
});
