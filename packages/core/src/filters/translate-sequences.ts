/** translateSequences (DESIGN §2 stage 5): each [from, to] replaced everywhere, in order. */
export function translateSequences(
  content: string,
  sequences: readonly (readonly [string, string])[],
): string {
  let out = content;
  for (const [from, to] of sequences) if (from !== '') out = out.replaceAll(from, to);
  return out;
}
