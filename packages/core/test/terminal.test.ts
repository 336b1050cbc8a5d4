import fc from 'fast-check';
import { escapeTerminal, needsTerminalEscape } from '../src/index';
import { HOSTILE_SEQUENCES, hostileText, isTerminalSafe } from './support/hostile';

describe('escapeTerminal', () => {
  it('leaves no control, C1, bidi or separator character in any text', () => {
    fc.assert(
      fc.property(hostileText(), fc.string({ unit: 'binary' }), (a, b) => {
        expect(isTerminalSafe(escapeTerminal(a + b))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps text without hostile characters unchanged (names, paths, non-ASCII words)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!needsTerminalEscape(s));
        expect(escapeTerminal(s)).toBe(s);
      }),
    );
    expect(escapeTerminal('café/Ölweg/服务-1')).toBe('café/Ölweg/服务-1');
  });

  it('shows each hostile character visibly instead of dropping it', () => {
    expect(escapeTerminal('a\nb')).toBe('a\\nb');
    expect(escapeTerminal('\r\t')).toBe('\\r\\t');
    expect(escapeTerminal('\u001b]0;x\u0007')).toBe('\\x1b]0;x\\x07');
    expect(escapeTerminal('\u009b')).toBe('\\x9b');
    expect(escapeTerminal('\u202eabc')).toBe('\\u202eabc');
    expect(escapeTerminal('\u2028')).toBe('\\u2028');
    expect(escapeTerminal('we\u200bb')).toBe('we\\u200bb');
    expect(escapeTerminal('\u00ad')).toBe('\\xad');
    // Joiners stay: Persian words and emoji sequences need them.
    expect(escapeTerminal('می\u200cخواهم 👩\u200d💻')).toBe('می\u200cخواهم 👩\u200d💻');
  });

  it('turns every known attack sequence into one line', () => {
    for (const s of HOSTILE_SEQUENCES) expect(escapeTerminal(s).split(/\r|\n|\u2028|\u2029/)).toHaveLength(1);
  });

  it('needsTerminalEscape agrees with escapeTerminal changing the text', () => {
    fc.assert(
      fc.property(hostileText(), (s) => {
        expect(needsTerminalEscape(s)).toBe(escapeTerminal(s) !== s);
        // Stateless across calls (the global regex's lastIndex is reset).
        expect(needsTerminalEscape(s)).toBe(escapeTerminal(s) !== s);
      }),
    );
  });
});
