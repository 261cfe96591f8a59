/** Text cut to a number of characters for a channel's line, marked where it was cut. */

/** `text` if it has at most `max` characters, else its first `max - 1` and `…`. */
export function cutTo(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
