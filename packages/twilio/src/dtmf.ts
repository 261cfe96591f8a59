/**
 * The telephone-keypad codec (laitos' DTMFDecode, reference laitos-daemons.md §6.4): letters by
 * multi-tap (2 a, 22 b, 222 c ...), digits and symbols as `1`-words ended by `0`, `0` alone a
 * space, `*` toggles capitals. encodeDtmf() is the inverse: the keys a user presses for a text.
 */

/** Key sequence → character, exactly laitos' table. */
const TABLE: ReadonlyMap<string, string> = new Map([
  ...['1', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map(
    (keys, digit) => [keys, String(digit)] as const,
  ),
  ...pairs('11', '!@#$%^&*('),
  ...pairs('12', '`~)-_=+[{'),
  ...pairs('13', ']}\\|;:\'",'),
  ...pairs('14', '<.>/?\x1f\x1e'),
  ...letters('2', 'abc'),
  ...letters('3', 'def'),
  ...letters('4', 'ghi'),
  ...letters('5', 'jkl'),
  ...letters('6', 'mno'),
  ...letters('7', 'pqrs'),
  ...letters('8', 'tuv'),
  ...letters('9', 'wxyz'),
]);

/** Character → key sequence; upper-case letters are their lower-case keys with shift on. */
const KEYS_OF: ReadonlyMap<string, string> = new Map(
  Array.from(TABLE, ([keys, char]) => [char, keys] as const),
);

/** `prefix` + 1..9 for each character in order (`111` → `!`, `112` → `@` ...). */
function pairs(prefix: string, chars: string): (readonly [string, string])[] {
  return Array.from(chars, (char, i) => [`${prefix}${String(i + 1)}`, char] as const);
}

/** Multi-tap: `key` pressed 1..n times for each letter in order. */
function letters(key: string, chars: string): (readonly [string, string])[] {
  return Array.from(chars, (char, i) => [key.repeat(i + 1), char] as const);
}

/** What the decoder made of some digits, with the key sequences it could not read. */
export interface DtmfDecoding {
  readonly text: string;
  /** Sequences not in the table (e.g. `22222`, or a symbol not ended by `0`); dropped. */
  readonly dropped: readonly string[];
}

/** Decodes keypad digits into text; unreadable sequences are dropped (laitos §6.4). */
export function decodeDtmf(digits: string): string {
  return decodeDtmfVerbose(digits).text;
}

/** Decodes keypad digits and reports the sequences that were dropped. */
export function decodeDtmfVerbose(digits: string): DtmfDecoding {
  let text = '';
  let shift = false;
  const dropped: string[] = [];
  for (const token of tokenize(digits)) {
    if (token === '*') {
      shift = !shift;
      continue;
    }
    const char = token === ' ' ? ' ' : TABLE.get(token);
    if (char === undefined) dropped.push(token);
    else text += shift ? char.toUpperCase() : char;
  }
  return { text, dropped };
}

/**
 * Splits digits into key sequences, `' '` (a lone `0`) and `'*'`. A letter run ends when the
 * key changes; a `1`-word (digit or symbol) runs until `0` or `*`. Anything else is ignored.
 */
function tokenize(digits: string): string[] {
  const tokens: string[] = [];
  let word = '';
  const flush = (): void => {
    if (word !== '') tokens.push(word);
    word = '';
  };
  for (const key of digits.trim()) {
    if (key === '1') {
      if (word !== '' && !word.startsWith('1')) flush();
      word += key;
    } else if (key >= '2' && key <= '9') {
      if (word !== '' && !word.endsWith(key) && !word.startsWith('1')) flush();
      word += key;
    } else if (key === '0') {
      if (word === '') tokens.push(' ');
      else flush();
    } else if (key === '*') {
      flush();
      tokens.push('*');
    }
  }
  flush();
  return tokens;
}

/** The keys for one character of a text, and why any extra key is there. */
export interface DtmfStep {
  readonly char: string;
  /** The keys to press for this character, extra keys included. */
  readonly keys: string;
  /** Why keys beyond the character's own sequence are pressed; empty when none are. */
  readonly note: string;
}

/** The keys to press for a text: all digits, and one step per character. */
export interface DtmfEncoding {
  readonly keys: string;
  readonly steps: readonly DtmfStep[];
}

/** Thrown by encodeDtmf for characters that the keypad table cannot express. */
export class DtmfEncodeError extends Error {
  /** The characters that have no key sequence, each once, in order of appearance. */
  readonly unsupported: readonly string[];

  constructor(unsupported: readonly string[]) {
    super(
      `cannot be typed on a keypad: ${unsupported.map((c) => JSON.stringify(c)).join(' ')} ` +
        '(letters, digits, space and the symbols of the keypad table only)',
    );
    this.name = 'DtmfEncodeError';
    this.unsupported = unsupported;
  }
}

/** Whether every character of `text` has a key sequence (so encodeDtmf will not throw). */
export function canEncodeDtmf(text: string): boolean {
  return unsupportedChars(text).length === 0;
}

/**
 * The keys that decodeDtmf() turns back into `text`, with as few extra keys as the tokenizer
 * allows: `0` between two letters on the same key, `0` after every digit or symbol, and `*`
 * only where the case changes. Throws DtmfEncodeError for characters outside the table.
 */
export function encodeDtmf(text: string): DtmfEncoding {
  const unsupported = unsupportedChars(text);
  if (unsupported.length > 0) throw new DtmfEncodeError(unsupported);
  const steps: DtmfStep[] = [];
  // The decoder's state as it reads our keys: the open word and whether capitals are on.
  let word = '';
  let shift = false;
  for (const char of text) {
    let keys = '';
    const notes: string[] = [];
    const isLetter = char >= 'a' && char <= 'z';
    const isCapital = char >= 'A' && char <= 'Z';
    if ((isCapital && !shift) || (isLetter && shift)) {
      // `*` also ends the open word, so no `0` is needed before it.
      keys += '*';
      shift = !shift;
      word = '';
      notes.push(shift ? '* turns capitals on' : '* turns capitals off');
    }
    if (char === ' ') {
      if (word !== '') {
        keys += '0';
        notes.push('0 ends the letter');
      }
      keys += '0';
      word = '';
    } else {
      const own = KEYS_OF.get(char.toLowerCase()) ?? '';
      if (word !== '' && own.startsWith(word.slice(-1)) && !own.startsWith('1')) {
        keys += '0';
        notes.push('0 separates two letters on the same key');
      }
      keys += own;
      word = own;
      if (own.startsWith('1')) {
        keys += '0';
        word = '';
        notes.push('digits and symbols end with 0');
      }
    }
    steps.push({ char, keys, note: notes.join('; ') });
  }
  return { keys: steps.map((s) => s.keys).join(''), steps };
}

/** Characters of `text` without a key sequence, each once. */
function unsupportedChars(text: string): string[] {
  const out = new Set<string>();
  for (const char of text) {
    if (char !== ' ' && !KEYS_OF.has(char.toLowerCase())) out.add(char);
    // Only a-z have capitals on the keypad; other letters' lower case could alias a table entry.
    else if (char !== char.toLowerCase() && !(char >= 'A' && char <= 'Z')) out.add(char);
  }
  return [...out];
}

/** Every character the keypad table can express (for tests and help texts). */
export const DTMF_ALPHABET: string = [
  ' ',
  ...KEYS_OF.keys(),
  ...Array.from('abcdefghijklmnopqrstuvwxyz', (c) => c.toUpperCase()),
].join('');
