/**
 * fast-check generators of terminal-hostile text, shared by the core, CLI and policy-pack tests
 * (they import this file by relative path): control sequences that retitle, clear or move the
 * terminal, line breaks that forge a second finding or `Error:` line, C1 controls and bidi
 * overrides, mixed into ordinary text.
 */
import fc from 'fast-check';

/** Whole sequences an attacker would use, not just single characters. */
export const HOSTILE_SEQUENCES = [
  '\u001b]0;pwned\u0007', // OSC: retitle the terminal
  '\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\', // OSC 8 hyperlink
  '\u001b[2J\u001b[H', // clear screen, cursor home
  '\u001b[31mFAKE\u001b[0m', // SGR colour
  '\u001b[1A\u001b[2K', // cursor up, erase line
  '\r  CRITICAL fail   no-privileged', // overwrite the current line
  '\nError: forged second error line',
  '\r\n',
  '\u009b31m', // 8-bit CSI
  '\u009d0;title\u009c', // 8-bit OSC … ST
  '\u202eevil\u202c', // right-to-left override
  '\u2066\u2067\u2068\u2069', // isolates
  '\u2028\u2029', // line and paragraph separators
  '\u0000\u0008\u007f', // NUL, backspace, DEL
  '\u200f\u200e\u061c', // bidi marks
  'we\u200bb\u2060\u00ad', // invisible: a second "web" that looks like the first
];

/** One character a terminal acts on (C0, DEL, C1, bidi controls, separators). */
export const hostileChar = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.integer({ min: 0, max: 0x1f }),
      fc.integer({ min: 0x7f, max: 0x9f }),
      fc.constantFrom(0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e),
      fc.constantFrom(0x2066, 0x2067, 0x2068, 0x2069, 0xfeff),
      fc.constantFrom(0x00ad, 0x180e, 0x200b, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064),
    )
    .map((c) => String.fromCharCode(c));

/** Text mixing ordinary characters, hostile characters and whole hostile sequences. */
export const hostileText = (options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 2, arbitrary: hostileChar() },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEQUENCES) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      ),
      { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 12 },
    )
    .map((parts) => parts.join(''));

/**
 * True when `text` is safe for a terminal line: no C0 control except the given allowed ones, no
 * DEL, C1, bidi control or separator.
 */
export function isTerminalSafe(text: string, allowed = ''): boolean {
  for (const ch of text) {
    if (allowed.includes(ch)) continue;
    const c = ch.codePointAt(0)!;
    // Checked by code point, independently of the regular expression in core's escapeTerminal.
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return false;
    if ([0x00ad, 0x061c, 0x180e, 0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0xfeff].includes(c)) return false;
    if (c >= 0x2060 && c <= 0x2064) return false;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return false;
  }
  return true;
}
