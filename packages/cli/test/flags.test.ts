import fc from 'fast-check';
import { UserError } from '../src/lib/exit';
import { formatDuration, parseDuration } from '../src/lib/flags';

/** The duration grammar every time-taking flag shares (audit --timeout, seccomp learn --timeout and --duration). */
describe('duration flags', () => {
  const range = { min: 100, max: 60 * 60 * 1000 };
  const ERROR =
    /^--timeout .*: expected a duration from 100ms to 60m, such as 10s, 500ms or 2m \(a bare number is seconds\)$/s;

  it('reads 500ms, 10s, 2m, a bare number as seconds, and decimals to the millisecond', () => {
    expect(parseDuration('timeout', '500ms', range)).toBe(500);
    expect(parseDuration('timeout', '10s', range)).toBe(10_000);
    expect(parseDuration('timeout', '2m', range)).toBe(120_000);
    expect(parseDuration('timeout', '3', range)).toBe(3000);
    expect(parseDuration('timeout', '1.5s', range)).toBe(1500);
    expect(parseDuration('timeout', ' 60m ', range)).toBe(3_600_000);
  });

  it('refuses other units, signs, exponents, hex, spaces inside and values out of range with one line naming the flag', () => {
    for (const text of [
      '',
      'ten',
      '1h',
      '10S',
      '10 s',
      '-5s',
      '+5s',
      '1e3',
      '0x10',
      '0s',
      '99ms',
      '61m',
      'NaN',
      's',
    ]) {
      expect(() => parseDuration('timeout', text, range)).toThrow(ERROR);
    }
    const error = (() => {
      try {
        parseDuration('duration', '1h', range);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exit).toBe(2);
    expect((error as UserError).message).toMatch(/^--duration 1h: expected a duration/);
  });

  it('a whole number with a unit is that many units, or an error when out of range', () => {
    const unitMs = { ms: 1, s: 1000, m: 60_000 } as const;
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.constantFrom('ms', 's', 'm', ''), (n, unit) => {
        const ms = n * unitMs[(unit || 's') as keyof typeof unitMs];
        const text = `${n}${unit}`;
        if (ms >= range.min && ms <= range.max) expect(parseDuration('timeout', text, range)).toBe(ms);
        else expect(() => parseDuration('timeout', text, range)).toThrow(ERROR);
      }),
    );
  });

  it('any text outside the grammar is an error, never a number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        fc.pre(!/^\s*\d+(\.\d+)?(ms|s|m)?\s*$/.test(text));
        expect(() => parseDuration('timeout', text, range)).toThrow(ERROR);
      }),
    );
  });

  it('writes a range in its shortest exact form', () => {
    expect([100, 1000, 1500, 60_000, 600_000, 3_600_000].map(formatDuration)).toEqual([
      '100ms',
      '1s',
      '1500ms',
      '1m',
      '10m',
      '60m',
    ]);
  });
});
