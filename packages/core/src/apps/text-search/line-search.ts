/**
 * Case-insensitive search of a text, line by line, as it streams in: `.g` reads a plain file
 * and `.a` a decrypted one through it. Memory stays bounded whatever the file: at most one line
 * of `maxLineChars` and `maxMatches` + 1 matches are held, and a plain search stops reading
 * once it has more matches than it will show.
 */
import { TextDecoder } from 'node:util';

/** How much a search keeps. */
export interface SearchLimits {
  /** Matches shown; finding one more stops the search and sets `more`. */
  readonly maxMatches: number;
  /** A longer line is searched and shown in its first `maxLineChars` characters, then `…`. */
  readonly maxLineChars: number;
  /**
   * The bytes must be UTF-8 text (tab, CR, LF and form feed the only control characters), else
   * NotTextError; the search then reads to the end, so a decipher's final check still runs.
   * Otherwise bytes that are not UTF-8 read as U+FFFD.
   */
  readonly text?: boolean;
}

/** What a search found. */
export interface Matches {
  /** The matching lines, in file order, without their line ends. */
  readonly lines: readonly string[];
  /** Whether more lines than `lines` match. */
  readonly more: boolean;
}

/** Thrown at the end of a `text` search whose bytes were not UTF-8 text. */
export class NotTextError extends Error {
  constructor() {
    super('not UTF-8 text');
    this.name = 'NotTextError';
  }
}

// C0 controls but tab, LF, form feed and CR; and DEL. Binary, or a wrong key's output, has them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** The lines of `chunks` that contain `needle`, ignoring case. */
export async function searchLines(
  chunks: AsyncIterable<Buffer>,
  needle: string,
  limits: SearchLimits,
): Promise<Matches> {
  const search = new LineSearch(needle, limits);
  for await (const chunk of chunks) {
    search.feed(chunk);
    // A text search reads on, for the decipher's check at the end; a plain one is done.
    if (search.more && limits.text !== true) break;
  }
  search.feed();
  if (search.notText) throw new NotTextError();
  return { lines: search.lines, more: search.more };
}

/** The matching lines of the bytes it is fed, chunk by chunk. */
class LineSearch {
  readonly lines: string[] = [];
  more = false;
  notText = false;
  readonly #wanted: string;
  readonly #limits: SearchLimits;
  readonly #decoder: TextDecoder;
  // The current line's first maxLineChars + 1 characters (the one more tells a CR line end
  // from a cut), and whether it had yet more.
  #line = '';
  #overflow = false;

  constructor(needle: string, limits: SearchLimits) {
    this.#wanted = needle.toLowerCase();
    this.#limits = limits;
    this.#decoder = new TextDecoder('utf-8', { fatal: limits.text === true });
  }

  /** Takes the next chunk, or (undefined) the end; ignores what comes after it has its answer. */
  feed(bytes?: Buffer): void {
    if (this.notText || this.more) return;
    let text: string;
    try {
      text =
        bytes === undefined
          ? this.#decoder.decode()
          : this.#decoder.decode(bytes, { stream: true });
    } catch {
      this.notText = true; // only a fatal (text) decoder throws
      return;
    }
    if (this.#limits.text === true && CONTROL.test(text)) {
      this.notText = true;
      return;
    }
    this.#take(text);
    // A last line needs no line end (and once `more` is set, ending one changes nothing).
    if (bytes === undefined && (this.#line !== '' || this.#overflow)) this.#endLine();
  }

  #take(text: string): void {
    const parts = text.split('\n');
    for (const [i, part] of parts.entries()) {
      if (this.more) return;
      this.#add(part);
      if (i < parts.length - 1) this.#endLine();
    }
  }

  #add(part: string): void {
    const room = this.#limits.maxLineChars + 1 - this.#line.length;
    if (part.length > room) this.#overflow = true;
    if (room > 0) this.#line += part.slice(0, room);
  }

  #endLine(): void {
    const { maxLineChars, maxMatches } = this.#limits;
    let shown = this.#overflow ? this.#line : this.#line.replace(/\r$/, '');
    let cut = false;
    if (shown.length > maxLineChars) {
      let end = maxLineChars;
      // Never split a surrogate pair: half a character is not text.
      if (/[\uD800-\uDBFF]/.test(shown.charAt(end - 1))) end -= 1;
      shown = shown.slice(0, end);
      cut = true;
    }
    this.#line = '';
    this.#overflow = false;
    if (!shown.toLowerCase().includes(this.#wanted)) return;
    if (this.lines.length < maxMatches) this.lines.push(cut ? `${shown}…` : shown);
    else this.more = true;
  }
}
