/**
 * pinAndShortcuts (DESIGN §2 stage 4): finds the first input line that is a shortcut, starts
 * with a password, or starts with a valid one-time-code pair, and returns the command it carries.
 * Everything that can be is computed once when the matcher is built.
 */
import { timingSafeEqual } from 'node:crypto';
import { CodePairs } from '../auth/code-pairs.js';
import { grantOf, passwordOf } from '../auth/grant.js';
import type { Grant, PasswordEntry } from '../config/types.js';
import type { CodeHalf } from '../guard/state-store.js';

/** What a line authorised; `grant` limits what it may run (absent: anything). */
export type PinMatch =
  | { readonly kind: 'shortcut'; readonly command: string; readonly grant?: undefined }
  | { readonly kind: 'password'; readonly command: string; readonly grant: Grant | undefined }
  | {
      readonly kind: 'codePair';
      readonly command: string;
      readonly grant: Grant | undefined;
      /** Its two halves, for the replay rule. */
      readonly halves: readonly CodeHalf[];
    };

interface Secret {
  readonly bytes: Buffer;
  readonly grant: Grant | undefined;
}

const PAIR_DIGITS = 12;
const LEADING_PAIR = /^\d{12}/;

/** Matches input lines against passwords, shortcuts and code pairs. */
export class PinMatcher {
  /** Longest first, so that a password which is a prefix of another never shadows it. */
  readonly #passwords: readonly Secret[];
  /** Each password's grant, by its index in the configured list (code pairs name the index). */
  readonly #grants: readonly (Grant | undefined)[];
  readonly #shortcuts: ReadonlyMap<string, string>;
  readonly #pairs: CodePairs;

  constructor(
    entries: readonly (string | PasswordEntry)[],
    shortcuts: Readonly<Record<string, string>>,
    now?: () => number,
  ) {
    this.#grants = entries.map(grantOf);
    this.#passwords = entries
      .map((e) => ({ bytes: Buffer.from(passwordOf(e), 'utf8'), grant: grantOf(e) }))
      .sort((a, b) => b.bytes.length - a.bytes.length);
    this.#shortcuts = new Map(Object.entries(shortcuts).map(([k, v]) => [k.trim(), v]));
    this.#pairs = new CodePairs(entries.map(passwordOf), now);
  }

  /** The first line's match, or undefined when no line authorises a command. */
  match(content: string): PinMatch | undefined {
    for (const rawLine of content.split('\n')) {
      const line = rawLine.trim();
      if (line === '') continue;
      const shortcut = this.#shortcuts.get(line);
      if (shortcut !== undefined) return { kind: 'shortcut', command: shortcut };
      const password = this.#afterPassword(line);
      if (password !== undefined) return password;
      const pair = this.#codePair(line);
      if (pair !== undefined) return pair;
    }
    return undefined;
  }

  #afterPassword(line: string): PinMatch | undefined {
    const bytes = Buffer.from(line, 'utf8');
    for (const { bytes: password, grant } of this.#passwords) {
      if (bytes.length <= password.length) continue;
      // Both sides have the password's length, as timingSafeEqual requires.
      if (timingSafeEqual(bytes.subarray(0, password.length), password)) {
        return {
          kind: 'password',
          command: bytes.subarray(password.length).toString('utf8'),
          grant,
        };
      }
    }
    return undefined;
  }

  #codePair(line: string): PinMatch | undefined {
    if (line.length <= PAIR_DIGITS || !LEADING_PAIR.test(line)) return undefined;
    const digits = line.slice(0, PAIR_DIGITS);
    const found = this.#pairs.match(digits);
    if (found === undefined) return undefined;
    return {
      kind: 'codePair',
      command: line.slice(PAIR_DIGITS),
      grant: this.#grants[found.passwordIndex],
      halves: found.halves,
    };
  }
}
