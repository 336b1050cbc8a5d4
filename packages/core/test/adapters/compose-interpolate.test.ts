/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax under test */
import fc from 'fast-check';
import {
  InterpolationError,
  interpolate,
  parseEnvFile,
  unsetReason,
} from '../../src/adapters/compose/interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', UID: '1000', N: '5' };
const lookup = (n: string) => env[n];
const sub = (t: string) => interpolate(t, lookup);

describe('interpolate: the Compose Specification forms', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['a${SET}b', 'avalueb'],
    ['$SET-x', 'value-x'],
    ['${SET:-def}', 'value'],
    ['${EMPTY:-def}', 'def'],
    ['${UNSET:-def}', 'def'],
    ['${SET-def}', 'value'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${SET+alt}', 'alt'],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${SET:?must be set}', 'value'],
    ['${EMPTY?must be set}', ''],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['$$$SET', '$value'],
    ['${UNSET:-${UID:-0}}', '1000'],
    ['${UNSET:-${ALSO_UNSET:-50000}}:0', '50000:0'],
    ['${UNSET:-a}b}', 'ab}'],
    ['cost $5', 'cost $5'],
    ['trailing $', 'trailing $'],
    ['${UNSET:-}', ''],
  ])('%s → %s', (template, expected) => {
    expect(sub(template)).toEqual({ value: expected, unset: [] });
  });

  it('records variables that are unset and have no default, once each, in order of use', () => {
    expect(sub('${B}:$A:${B}')).toEqual({ value: '::', unset: ['B', 'A'] });
  });

  it('counts an unset variable in a default only when the default is used', () => {
    expect(sub('${SET:-${NOPE}}').unset).toEqual([]);
    expect(sub('${UNSET:-${NOPE}}').unset).toEqual(['NOPE']);
    expect(sub('${UNSET:+${NOPE}}').unset).toEqual([]);
  });

  it('refuses a required variable that is unset (or empty, for :?), naming it and not its message', () => {
    for (const t of ['${UNSET:?secret text}', '${UNSET?secret text}', '${EMPTY:?secret text}']) {
      let error: unknown;
      try {
        sub(t);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InterpolationError);
      expect((error as InterpolationError).variable).toMatch(/UNSET|EMPTY/);
      expect((error as Error).message).not.toContain('secret text');
    }
  });

  it('refuses a ${ that is not a template, as Docker Compose does', () => {
    for (const t of ['${', '${SET', '${1X}', '${SET x}', '${}']) {
      expect(() => sub(t)).toThrow(InterpolationError);
    }
  });

  it('words the reason with the variable names', () => {
    expect(unsetReason(['APP_UID'])).toBe(
      'depends on ${APP_UID}, which is not set (Docker Compose would substitute an empty string)',
    );
    expect(unsetReason(['A', 'B'])).toBe(
      'depends on ${A} and ${B}, which are not set (Docker Compose would substitute an empty string)',
    );
  });
});

describe('interpolate: properties', () => {
  const text = fc.string({
    unit: fc.constantFrom('$', '{', '}', ':', '-', '+', '?', 'A', 'b', '_', '1', ' '),
  });

  it('never throws anything but InterpolationError', () => {
    fc.assert(
      fc.property(text, (t) => {
        try {
          sub(t);
        } catch (e) {
          if (!(e instanceof InterpolationError)) throw e;
        }
      }),
    );
  });

  it('gives back any text with every $ doubled ($$ round trip)', () => {
    fc.assert(
      fc.property(fc.string(), (t) => {
        expect(sub(t.replaceAll('$', () => '$$'))).toEqual({ value: t, unset: [] });
      }),
    );
  });

  it('uses the default exactly when the variable is unset (-) or unset or empty (:-)', () => {
    const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
    const value = fc.option(fc.string({ unit: fc.constantFrom('a', 'b', '') }), { nil: undefined });
    const plain = fc.string({ unit: fc.constantFrom('x', 'y', '0', ':') });
    fc.assert(
      fc.property(name, value, plain, (n, v, def) => {
        const look = (k: string) => (k === n ? v : undefined);
        expect(interpolate(`\${${n}-${def}}`, look).value).toBe(v === undefined ? def : v);
        expect(interpolate(`\${${n}:-${def}}`, look).value).toBe(v === undefined || v === '' ? def : v);
        expect(interpolate(`\${${n}+${def}}`, look).value).toBe(v === undefined ? '' : def);
        expect(interpolate(`\${${n}:+${def}}`, look).value).toBe(v === undefined || v === '' ? '' : def);
      }),
    );
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=value, export, comments, quotes and earlier variables', () => {
    const vars = parseEnvFile(
      [
        '# a comment',
        'A=1',
        'export B = two # comment',
        "C='lit ${A} $$'",
        'D="x\\ny ${A}"',
        'E=${A}-${F:-f}',
        'G="multi',
        'line"',
        'H=',
        'INHERITED',
      ].join('\n'),
      (n) => (n === 'INHERITED' ? 'from-env' : undefined),
    );
    expect(Object.fromEntries(vars)).toEqual({
      A: '1',
      B: 'two',
      C: 'lit ${A} $$',
      D: 'x\ny 1',
      E: '1-f',
      G: 'multi\nline',
      H: '',
      INHERITED: 'from-env',
    });
  });

  it('names the line that is not a variable', () => {
    expect(() => parseEnvFile('A=1\n=nope\n', () => undefined)).toThrow(/line 2/);
  });
});
