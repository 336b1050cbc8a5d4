/**
 * Escaping of text that came from input (names, labels, reasons, paths, unknown keys, flag
 * values) for a terminal and for one-line messages. Every surface that prints such text to a
 * terminal or a log line (the CLI's table and stderr, the policy pack's violation messages)
 * passes it through {@link escapeTerminal} at its output boundary; machine formats (JSON, SARIF,
 * JUnit) encode it their own way instead.
 */

/** Characters shown by name rather than as a code. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Code points a terminal acts on or that change how the text around them reads: C0 controls
 * (CR/LF forge lines, ESC starts CSI/OSC sequences, BEL ends OSC), DEL, C1 controls (8-bit CSI
 * and OSC), the line and paragraph separators, the bidirectional marks, embeddings, overrides and
 * isolates ("Trojan Source"), the byte-order mark, and the invisible characters that make two
 * names look the same (soft hyphen, zero-width space, word joiner and invisible operators, the
 * Mongolian vowel separator). The zero-width joiner and non-joiner are kept: scripts such as
 * Persian and Devanagari, and emoji, need them.
 */
const HOSTILE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** True when `text` holds a character {@link escapeTerminal} would escape. */
export function needsTerminalEscape(text: string): boolean {
  HOSTILE.lastIndex = 0;
  return HOSTILE.test(text);
}

/**
 * `text` made safe to print on a terminal as part of one line: each control, bidi or separator
 * character becomes a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\x9b`, `\u202e`); everything
 * else, including other non-ASCII text, is kept as it is. The result never contains a character
 * in {@link HOSTILE}, so it can neither move the cursor, retitle or clear the terminal, reorder
 * the text around it, nor start a second line.
 */
export function escapeTerminal(text: string): string {
  return text.replace(HOSTILE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
