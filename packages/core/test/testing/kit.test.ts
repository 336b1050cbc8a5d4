/**
 * The rule test kit itself: each check must catch the flaw it exists for, so a rule that passes
 * the kit is not passing vacuously.
 */
import type { ResourceSet } from '../../src/model/spec.js';
import { Secret, UNKNOWN } from '../../src/model/value.js';
import { noHostUts } from '../../src/rules/no-host-uts.js';
import { noPrivileged } from '../../src/rules/no-privileged.js';
import { type ContainerRule, fail, pass } from '../../src/rules/types.js';
import {
  assertRule,
  type CheckResult,
  COMPOSE_UNSET,
  compliantContainer,
  exampleMutation,
  testRule,
  testStackRule,
  writeCompose,
  writeInspect,
  writePulumi,
} from '../../src/testing/index.js';
import { countingStackRule } from './stack-rule.js';

/** A rule over `user`, with the flaw given. */
function userRule(check: ContainerRule['check']): ContainerRule {
  const { example: _example, ...meta } = noPrivileged;
  return { ...meta, id: 'test/user', check };
}
const failed = (results: readonly CheckResult[]) => results.filter((r) => r.status === 'failed');
const checks = (results: readonly CheckResult[]) => failed(results).map((r) => `${r.case} ${r.check}`);

describe('the rule test kit', () => {
  it('passes a correct rule: every case through the model and the three input kinds', () => {
    const report = assertRule(noPrivileged, {
      mutations: [
        exampleMutation(noPrivileged),
        { name: 'unknown', set: { privileged: UNKNOWN }, unknown: 'privileged' },
      ],
    });
    const ran = report.results.filter((r) => r.status === 'ok').map((r) => `${r.case} ${r.check}`);
    expect(ran).toEqual(
      expect.arrayContaining([
        'compliant compose',
        'compliant pulumi',
        'compliant inspect',
        'fails on its insecure example compose',
        'fails on its insecure example unknowns',
        'unknown pulumi',
      ]),
    );
    // docker inspect has no unknowns: that case is a declared skip, with the reason.
    expect(report.results.find((r) => r.case === 'unknown' && r.check === 'inspect')).toMatchObject({
      status: 'skipped',
      detail: 'privileged: a live container reports every value: nothing is unknown',
    });
  });

  it('fails a wrong path, a missing failure and an unexpected one', () => {
    const report = testRule(noPrivileged, {
      mutations: [
        { name: 'wrong path', set: { privileged: true }, fails: 'privileged[0]' },
        { name: 'expected to pass', set: { privileged: true } },
        { name: 'expected to fail', set: { privileged: false }, fails: 'privileged' },
      ],
    });
    expect(checks(report.results)).toEqual([
      'wrong path model',
      'expected to pass model',
      'expected to fail model',
    ]);
    expect(failed(report.results)[0]!.detail).toBe('expected fail privileged[0], got fail privileged');
  });

  it('fails a rule that echoes the value it read, through the canary', () => {
    const echo = userRule((s) =>
      typeof s.user === 'string' && s.user !== '10001:10001' ? fail('user', `runs as ${s.user}`) : pass(),
    );
    const report = testRule(echo, { mutations: [{ name: 'root', set: { user: 'root' }, fails: 'user' }] });
    expect(checks(report.results)).toEqual(['root secrets']);
  });

  it('fails a rule that echoes a secret', () => {
    const leak = userRule((s) => {
      const e = s.env;
      if (!Array.isArray(e) || !(e[0]?.value instanceof Secret)) return pass();
      return fail('env[0]', `secret ${e[0].value.reveal()} in env`);
    });
    const report = testRule(leak, {
      mutations: [
        {
          name: 'secret',
          set: { env: [{ name: 'TOKEN', value: new Secret('s3cr3t-value') }] },
          fails: 'env[0]',
        },
      ],
      skip: { compose: 'plain text there', inspect: 'plain text there' },
    });
    expect(checks(report.results)).toEqual(['secret secrets']);
  });

  it('fails a rule that fails on an unknown value, in the model and as each input kind', () => {
    const closed = userRule((s) =>
      s.user === '10001:10001' ? pass() : fail('user', 'not the expected user'),
    );
    const report = testRule(closed, { mutations: [{ name: 'root', set: { user: '0' }, fails: 'user' }] });
    const u = failed(report.results).find((r) => r.check === 'unknowns');
    expect(u?.detail).toBe('with user unknown the rule fails at user, user (as compose), user (as pulumi)');
  });

  it('fails a rule that reads an input kind differently, unless a skip is declared for it', () => {
    const byKind = userRule((s) =>
      s.source.kind === 'compose' ? fail('user', 'compose is different') : pass(),
    );
    expect(checks(testRule(byKind, { mutations: [] }).results)).toEqual(['compliant compose']);
    const skipped = testRule(byKind, { mutations: [], skip: { compose: 'reads compose apart' } });
    expect(failed(skipped.results)).toEqual([]);
    expect(skipped.results.find((r) => r.check === 'compose')).toMatchObject({
      status: 'skipped',
      detail: 'reads compose apart',
    });
  });

  it('skips, with the reason, an input kind that cannot hold a touched field (never a silent pass)', () => {
    const report = testRule(noHostUts, { mutations: [exampleMutation(noHostUts)] });
    expect(report.results.find((r) => r.case !== 'compliant' && r.check === 'pulumi')).toMatchObject({
      status: 'skipped',
      detail: 'utsMode: Pulumi `docker.Container` has no UTS namespace input',
    });
  });

  it('checks severity and messages when the row gives them', () => {
    const report = testRule(noPrivileged, {
      mutations: [
        { name: 'severity', set: { privileged: true }, fails: 'privileged', severity: 'low' },
        { name: 'message', set: { privileged: true }, fails: 'privileged', messages: ['something else'] },
      ],
    });
    expect(checks(report.results)).toEqual(['severity model', 'message model']);
  });

  it('checks stack rules in the model and through every input kind', () => {
    const rule = countingStackRule();
    const set = { containers: [compliantContainer()], networks: [] };
    const ok = testStackRule(rule, { compliant: set, mutations: [] });
    expect(ok.results.map((r) => `${r.check} ${r.status}`)).toEqual([
      'model ok',
      'secrets ok',
      'compose ok',
      'pulumi ok',
      'inspect ok',
    ]);
    const second = (s: ResourceSet) => {
      const c = compliantContainer();
      c.source = { ...c.source, name: 'api' };
      s.containers.push(c);
    };
    const bad = testStackRule(rule, {
      compliant: set,
      mutations: [{ name: 'two', mutate: second, fails: ['web: user'] }],
    });
    expect(checks(bad.results)).toEqual(['two model']);
    expect(failed(bad.results)[0]!.detail).toBe(
      'expected fail web: user, got fail api: user, fail web: user',
    );
  });

  it('fails a stack rule that fails on a generated unknown', () => {
    const base = countingStackRule();
    const closed = {
      ...base,
      check: (set: ResourceSet) =>
        set.containers
          .filter((c) => c.user !== '10001:10001')
          .map((c) => ({
            status: 'fail' as const,
            path: 'user',
            message: 'not the expected user',
            resource: c,
          })),
    };
    const report = testStackRule(closed, {
      mutations: [
        {
          name: 'root',
          mutate: (s) => {
            s.containers[0]!.user = '0';
          },
          fails: ['web: user'],
        },
      ],
    });
    expect(checks(report.results)).toEqual(['root unknowns']);
  });
});

describe('the writers', () => {
  it('write the compliant container as each input kind, naming what a kind cannot hold', () => {
    const spec = compliantContainer();
    expect(writePulumi(spec).unrepresentable).toEqual({
      pidsLimit: 'Pulumi `docker.Container` has no pids limit input',
    });
    expect(writeCompose(spec).unrepresentable).toEqual({});
    expect(writeInspect(spec).unrepresentable).toEqual({});
    expect(JSON.parse(writeCompose(spec).input as string).services.web).toMatchObject({
      read_only: true,
      cap_drop: ['ALL'],
      mem_limit: 268435456,
      restart: 'on-failure:3',
    });
  });

  it('write unknowns as an unset compose variable and the Pulumi sentinel', () => {
    const spec = compliantContainer({ user: UNKNOWN });
    expect(JSON.parse(writeCompose(spec).input as string).services.web.user).toBe(`\${${COMPOSE_UNSET}}`);
    expect(writePulumi(spec).input).toMatchObject({ user: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' });
    expect(writeInspect(spec).unrepresentable).toEqual({
      user: 'a live container reports every value: nothing is unknown',
    });
  });
});
