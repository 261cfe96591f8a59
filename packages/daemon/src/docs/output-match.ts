/**
 * Test support (not exported): compares the output an example shows with the output it gave.
 * Both are normalised first (times, dates, ids, one-time codes, durations), then matched line
 * by line, where `...` in a line stands for any text and a line that is only `...` for any
 * number of lines.
 */

/** What varies from run to run, and what it becomes in both texts. */
const VARYING: readonly (readonly [RegExp, string])[] = [
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?/g, '<time>'],
  [/\b\d\d:\d\d:\d\d\b/g, '<time>'],
  // Outbox ids: the time in milliseconds, then a UUID.
  [/\b\d{13}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>'],
  [/\b\d{12}\b/g, '<code pair>'],
  [/\b\d{6}\b/g, '<code>'],
  [/\bms=\d+/g, 'ms=<n>'],
  [/\b\d+ s\b/g, '<n> s'],
];

/** `text` with what varies replaced by placeholders, and trailing spaces dropped. */
export function normalise(text: string): string {
  let out = text;
  for (const [pattern, placeholder] of VARYING) out = out.replace(pattern, placeholder);
  return out
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** Whether `actual` is what `expected` shows, both normalised. */
export function outputMatches(expected: string, actual: string): boolean {
  const want = normalise(expected).split('\n');
  const got = normalise(actual).split('\n');
  if (want.length === 1 && want[0] === '') return got.length === 1 && got[0] === '';
  return matchFrom(
    want.map((line) => (line === '...' ? undefined : lineMatcher(line))),
    got,
    0,
    0,
  );
}

/** A line with `...` wildcards as a whole-line regular expression. */
function lineMatcher(line: string): RegExp {
  const parts = line.split('...').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** Matches lines from `w` and `g` on; `undefined` is a `...` line (any number of lines). */
function matchFrom(
  want: readonly (RegExp | undefined)[],
  got: readonly string[],
  w: number,
  g: number,
): boolean {
  if (w === want.length) return g === got.length;
  const matcher = want[w];
  if (matcher === undefined) {
    for (let skip = g; skip <= got.length; skip++)
      if (matchFrom(want, got, w + 1, skip)) return true;
    return false;
  }
  return g < got.length && matcher.test(got[g] ?? '') && matchFrom(want, got, w + 1, g + 1);
}
