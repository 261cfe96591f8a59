/**
 * Splitting a reply into Telegram messages. sendMessage takes 1–4096 characters of text "after
 * entities parsing" (core.telegram.org/bots/api#sendmessage); Telegram measures text, entity
 * offsets included, in UTF-16 code units. We count UTF-16 code units too (JavaScript's
 * `length`): it is never fewer than the code points, so a chunk that fits by our count fits by
 * any count Telegram might use. Replies are plain text (no parse mode), so no entities.
 */

/** Longest text one sendMessage accepts, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 4096;

/**
 * Cuts `text` into non-empty chunks of at most `max` UTF-16 code units. Each cut is made at the
 * last line break that keeps the chunk within `max`; a line longer than `max` is cut hard, never
 * between the two halves of a surrogate pair. Line breaks at a cut are dropped, however many
 * (Telegram trims them from a message's ends anyway), so no chunk of a cut text starts or ends
 * with one; putting them back gives `text` again. Text that fits is returned whole; empty text
 * gives no chunks.
 */
export function splitMessage(text: string, max: number = MAX_MESSAGE_LENGTH): string[] {
  // Two code units are the least that can hold every character (a surrogate pair).
  if (!Number.isInteger(max) || max < 2) throw new RangeError('max must be an integer >= 2');
  if (text.length <= max) return text === '' ? [] : [text];
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    // A line break at index `max` still ends a chunk of exactly `max` units.
    const lineBreak = rest.lastIndexOf('\n', max);
    if (lineBreak >= 0) {
      push(chunks, rest.slice(0, lineBreak));
      rest = rest.slice(lineBreak + 1);
    } else {
      const cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
      push(chunks, rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  push(chunks, rest);
  return chunks;
}

/** Adds `piece` without the line breaks at its ends, unless nothing else is left. */
function push(chunks: string[], piece: string): void {
  const trimmed = piece.replace(/^\n+|\n+$/g, '');
  if (trimmed !== '') chunks.push(trimmed);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
