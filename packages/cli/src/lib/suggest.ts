/** Levenshtein distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * The candidates closest to `input` (at most `max`), best first. A candidate qualifies when it is
 * within a third of its length in edits, or contains / is contained in the input.
 */
export function closest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((c) => ({ c, d: distance(needle, c.toLowerCase()) }))
    .filter(
      ({ c, d }) =>
        d <= Math.max(2, Math.floor(c.length / 3)) ||
        (needle.length >= 3 && (c.includes(needle) || needle.includes(c))),
    )
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
