/**
 * Exemptions that mean something (issue 21 items 2, 7, 8): one validator for reasons and dates,
 * used by the exemptions file, the pack's config, components' exceptions and exemption labels;
 * label trust per input kind; secret reasons never shown.
 */
import fc from 'fast-check';
import {
  Catalog,
  type ContainerRule,
  type ContainerSpec,
  catalog,
  evaluate,
  InputError,
  type InputKind,
  PLACEHOLDER_MARKERS,
  parseExemptionsConfig,
  readLabelExemptions,
  reasonProblem,
  Secret,
  UNKNOWN,
  visibleLength,
} from '../src/index.js';
import { exemptionLabelsValid } from '../src/rules/exemption-labels-valid.js';
import { compliantContainer } from './fixtures.js';

const NOW = new Date('2030-06-15T12:00:00Z');
const GOOD = 'the emulator needs /dev/kvm for hardware acceleration';

/** Characters that render as nothing or as blank space. */
const INVISIBLE = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u00ad',
  '\u034f',
  '\u061c',
  '\u115f',
  '\u1160',
  '\u180e',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u2060',
  '\u2063',
  '\u2066',
  '\u2069',
  '\u2800',
  '\u3000',
  '\u3164',
  '\ufe0f',
  '\ufeff',
  '\uffa0',
  '\u{e0041}',
  '\u{1d173}',
];
const invisible = fc.constantFrom(...INVISIBLE);

describe('reasonProblem: a reason needs ten visible characters and must not be a placeholder', () => {
  it('accepts a reason that says why', () => {
    expect(reasonProblem(GOOD)).toBeUndefined();
    expect(reasonProblem('0123456789')).toBeUndefined();
    expect(reasonProblem('accepted for this test')).toBeUndefined();
    expect(reasonProblem('需要访问主机设备以运行模拟器')).toBeUndefined();
  });

  it('rejects any string of only invisible characters, however long (property)', () => {
    fc.assert(
      fc.property(fc.array(invisible, { minLength: 0, maxLength: 200 }), (chars) => {
        const s = chars.join('');
        expect(visibleLength(s)).toBe(0);
        expect(reasonProblem(s)).toMatch(/at least 10 visible characters/);
      }),
    );
  });

  it('counts only visible characters: nine visible ones padded with invisible ones fail (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), {
          minLength: 1,
          maxLength: 9,
        }),
        fc.array(invisible, { minLength: 0, maxLength: 40 }),
        fc.nat(),
        (visible, padding, seed) => {
          const mixed = [...visible];
          for (const [i, p] of padding.entries()) mixed.splice((seed + i * 7) % (mixed.length + 1), 0, p);
          expect(reasonProblem(mixed.join(''))).toMatch(/at least 10 visible characters/);
        },
      ),
    );
  });

  it('rejects a reason holding a placeholder word anywhere, in any case (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PLACEHOLDER_MARKERS, 'XXXX'),
        fc.boolean(),
        fc.constantFrom(': ', ' - ', '(', ' ', '\u200b'),
        (marker, upper, sep) => {
          const m = upper ? marker.toUpperCase() : marker;
          expect(reasonProblem(`${m}${sep}explain the database exposure`)).toMatch(/placeholder/);
          expect(reasonProblem(`explain the database exposure ${m}`)).toMatch(/placeholder/);
        },
      ),
    );
  });

  it('rejects a placeholder word glued to another at a case or letter/digit boundary (property)', () => {
    const word = fc.stringMatching(/^[a-z]{2,12}$/);
    fc.assert(
      fc.property(fc.constantFrom(...PLACEHOLDER_MARKERS), word, fc.nat(3), (marker, other, form) => {
        const glued = [
          `${marker.toUpperCase()}${other}`, // TODOexplain
          `${marker}${other.charAt(0).toUpperCase()}${other.slice(1)}`, // fixmeLater
          `${other}${marker.toUpperCase()}`, // explainTODO
          `${marker}${form}${other}`, // todo2explain
        ][form]!;
        expect(reasonProblem(`${glued} the database exposure`)).toMatch(/placeholder/);
        expect(reasonProblem(`the database exposure: ${glued}`)).toMatch(/placeholder/);
      }),
    );
    for (const r of [
      'TODOexplain why later',
      'fixme:later, the db needs it',
      'reasonTBD for the socket mount',
    ])
      expect(reasonProblem(r)).toMatch(/placeholder/);
  });

  it('accepts camelCase and acronyms that hold no placeholder word', () => {
    for (const r of [
      'the HTTPServer needs NET_BIND_SERVICE for port 80',
      'kubeProxy writes iptables rules in the host netns',
      'SMTP relay binds 25 as required by RFC5321',
    ])
      expect(reasonProblem(r)).toBeUndefined();
  });

  it('rejects filler-only reasons and repeated characters', () => {
    for (const r of [
      'reason reason reason',
      'n/a - temporary',
      'needed for now',
      'aaaaaaaaaaaa',
      '..........',
      'ok ok ok ok ok',
    ]) {
      expect(reasonProblem(r)).toMatch(/says nothing|placeholder/);
    }
  });

  it('never quotes the reason in its message (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 30 }), (s) => {
        const canary = `CANARY${s}`;
        const problem = reasonProblem(canary);
        if (problem) expect(problem).not.toContain('CANARY');
      }),
    );
  });
});

describe('the exemptions file: same validator, horizon, trusted label sources', () => {
  const parse = (data: unknown) => parseExemptionsConfig(data, 'exemptions', { now: NOW });
  const error = (data: unknown) => {
    try {
      parse(data);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('expected an InputError');
  };

  it('refuses a placeholder or invisible reason, naming the field', () => {
    expect(error([{ rule: 'no-privileged', resource: 'web', reason: 'TODO: fill in later' }])).toBe(
      'Invalid exemptions:\n  [0].reason: reason is a placeholder (TODO, FIXME, TBD, XXX…): write why this risk is accepted',
    );
    expect(error([{ rule: 'no-privileged', reason: '\u200b'.repeat(20) }])).toMatch(
      /\[0\]\.reason: reason must have at least 10 visible characters/,
    );
  });

  it('enforces maxExpiryDays: expiry required and no later than today plus the horizon', () => {
    const base = { rule: 'no-privileged', resource: 'web', reason: GOOD };
    expect(parse({ exemptions: [{ ...base, expires: '2031-06-15' }], maxExpiryDays: 365 })).toStrictEqual({
      exemptions: [{ ...base, expires: '2031-06-15' }],
      maxExpiryDays: 365,
    });
    expect(error({ exemptions: [{ ...base, expires: '2031-06-16' }], maxExpiryDays: 365 })).toBe(
      'Invalid exemptions:\n  exemptions[0].expires: expires is more than 365 days away: set a date no later than 2031-06-15',
    );
    expect(error({ exemptions: [base], maxExpiryDays: 30 })).toMatch(
      /exemptions\[0\]\.expires: expires is required: exemptions may run at most 30 days \(until 2030-07-15\)/,
    );
    // A limit given by the caller applies when the file sets none.
    expect(() => parseExemptionsConfig([base], 'x', { now: NOW, limits: { maxExpiryDays: 10 } })).toThrow(
      /\[0\]\.expires: expires is required/,
    );
    for (const bad of [0, -1, 1.5, '365', 100_000]) {
      expect(error({ exemptions: [], maxExpiryDays: bad })).toMatch(/maxExpiryDays/);
    }
  });

  it('reads trustLabels as a list of input kinds and refuses anything else', () => {
    expect(parse({ trustLabels: ['inspect', 'inspect'] })).toStrictEqual({
      exemptions: [],
      trustLabels: ['inspect'],
    });
    expect(error({ trustLabels: ['engine'] })).toMatch(
      /trustLabels\[0\]: trustLabels entries must be input kinds/,
    );
    expect(error({ trustLabels: true })).toMatch(/trustLabels: trustLabels must be a list/);
  });

  it('warns about an exemption for every resource of a rule, explicit or by default', () => {
    const { exemptions } = parse([
      { rule: 'no-privileged', reason: GOOD },
      { rule: 'no-privileged', resource: '**', reason: GOOD },
      { rule: 'no-privileged', resource: 'web-*', reason: GOOD },
    ]);
    const problems = evaluate({ containers: [], networks: [] }, { exemptions, now: NOW }).exemptionProblems;
    expect(problems.filter((p) => p.kind === 'broad').map((p) => p.index)).toStrictEqual([0, 1]);
    expect(problems.find((p) => p.kind === 'broad')!.message).toBe(
      'exemptions[0] (rule no-privileged) applies to every resource: name the resources it is for',
    );
  });
});

const failing: ContainerRule = {
  id: 'r1',
  scope: 'container',
  title: 'title of r1',
  severity: 'high',
  level: 'baseline',
  rationale: 'why it matters',
  remediation: { pulumi: 'p', compose: 'c', dockerRun: 'd' },
  references: { docs: 'https://example.invalid' },
  check: () => ({ status: 'fail', path: 'privileged', message: 'r1 failed' }),
};
const cat = new Catalog([failing, exemptionLabelsValid]);
const labelled = (labels: Record<string, unknown>, kind: InputKind = 'pulumi'): ContainerSpec => {
  const c = compliantContainer({ labels: labels as never });
  c.source = { ...c.source, kind };
  return c;
};
const findings = (spec: ContainerSpec, more = {}) =>
  evaluate({ containers: [spec], networks: [] }, { catalog: cat, now: NOW, ...more }).findings;

describe('exemption labels: trusted per input kind, checked like the file, never silent', () => {
  it('honours a declared source’s label, not a running engine’s unless trusted, and shows the ignored one', () => {
    const labels = { 'dev.bulkhead.exempt.r1': GOOD };
    for (const kind of ['pulumi', 'compose', 'stack-export', 'preview'] as const) {
      expect(findings(labelled(labels, kind))[0]).toMatchObject({
        status: 'exempt',
        exemption: { from: 'label' },
      });
    }
    const [engine] = findings(labelled(labels, 'inspect'));
    expect(engine).toMatchObject({ status: 'fail', ignoredExemption: { reason: GOOD, from: 'label' } });
    expect(engine!.ignoredExemption!.why).toMatch(/labels from a running engine are not trusted/);
    expect(engine).not.toHaveProperty('exemption');
    expect(findings(labelled(labels, 'inspect'), { trustLabels: ['inspect'] })[0]!.status).toBe('exempt');
    expect(findings(labelled(labels, 'pulumi'), { trustLabels: [] })[0]!.status).toBe('fail');
  });

  it('reports each invalid or expired label as a finding of exemption-labels-valid, and exempts nothing with it', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'dev.bulkhead.exempt.r1': 'TODO' }, /at least 10 visible characters/],
      [{ 'dev.bulkhead.exempt.r1': 'FIXME: explain this one' }, /placeholder/],
      [{ 'dev.bulkhead.exempt.no-such-rule': GOOD }, /names no rule id/],
      [{ 'dev.bulkhead.exempt.r1': GOOD, 'dev.bulkhead.exempt-expires.r1': 'never' }, /YYYY-MM-DD/],
      [
        { 'dev.bulkhead.exempt.r1': GOOD, 'dev.bulkhead.exempt-expires.r1': '2030-02-31' },
        /real calendar date/,
      ],
      [
        { 'dev.bulkhead.exempt.r1': GOOD, 'dev.bulkhead.exempt-expires.r1': '2030-06-14' },
        /expired on 2030-06-14/,
      ],
    ];
    for (const [labels, why] of cases) {
      const out = findings(labelled(labels));
      expect(out.find((f) => f.ruleId === 'r1')!.status).toBe('fail');
      const invalid = out.filter((f) => f.ruleId === 'exemption-labels-valid');
      expect(invalid).toHaveLength(1);
      expect(invalid[0]!.message).toMatch(why);
      expect(invalid[0]!.path).toMatch(/^labels\["dev\.bulkhead\.exempt\./);
    }
  });

  it('applies the horizon to labels: a far-future expiry or none is invalid when maxExpiryDays is set', () => {
    const far = { 'dev.bulkhead.exempt.r1': GOOD, 'dev.bulkhead.exempt-expires.r1': '9999-12-31' };
    expect(findings(labelled(far))[0]!.status).toBe('exempt');
    const out = findings(labelled(far), { maxExpiryDays: 365 });
    expect(out[0]).toMatchObject({ status: 'fail', ignoredExemption: { expires: '9999-12-31' } });
    expect(out[1]).toMatchObject({
      ruleId: 'exemption-labels-valid',
      message: expect.stringMatching(/more than 365 days/),
    });
    const none = findings(labelled({ 'dev.bulkhead.exempt.r1': GOOD }), { maxExpiryDays: 365 });
    expect(none[1]!.message).toMatch(/expires is required/);
  });

  it('leaves a label whose reason is not known yet alone: no exemption and no finding', () => {
    expect(findings(labelled({ 'dev.bulkhead.exempt.r1': UNKNOWN })).map((f) => f.status)).toStrictEqual([
      'fail',
    ]);
  });

  it('never shows a secret reason or a secret expiry date, valid or not (canary)', () => {
    const canary = 'CANARY-REASON-91f2 is why this needs the device';
    const specs = [
      labelled({ 'dev.bulkhead.exempt.r1': new Secret(canary) }),
      labelled({ 'dev.bulkhead.exempt.r1': new Secret(canary) }, 'inspect'),
      labelled({ 'dev.bulkhead.exempt.r1': new Secret('TODO CANARY-REASON-91f2') }),
      labelled({
        'dev.bulkhead.exempt.r1': new Secret(canary),
        'dev.bulkhead.exempt-expires.r1': new Secret('2020-01-01'),
      }),
    ];
    for (const spec of specs) {
      const text = JSON.stringify(findings(spec));
      expect(text).not.toContain('CANARY');
      expect(text).not.toContain('2020-01-01');
    }
    expect(
      readLabelExemptions({ 'dev.bulkhead.exempt.r1': new Secret(canary) }, { now: NOW })[0]!.reason,
    ).toBe('[secret]');
  });

  it('is part of the catalog in every profile, so an invalid label is never silent by default', () => {
    expect(catalog.profile('baseline').map((r) => r.id)).toContain('exemption-labels-valid');
  });
});
