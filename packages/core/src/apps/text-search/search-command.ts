/**
 * The command text of the search apps, `.g SHORTCUT TEXT` and `.a SHORTCUT KEY TEXT`, and the
 * texts they answer with. Words are split at white space, so a shortcut may hold `-` or `.`
 * (laitos' `\w+` split `phone-num` into `phone` and `num`); the text to find is the rest of the
 * line as typed, punctuation included.
 */
import { systemReason } from '../../config/system-reason.js';
import { AppError } from '../../errors.js';
import type { Matches, SearchLimits } from './line-search.js';

/** A shortcut in `files` (schema of the names): the command splits its words at white space. */
export const SHORTCUT_NAMES = { pattern: '^\\S+$', expect: 'a shortcut without spaces' };

/** What one command of `.g` or `.a` shows at most (docs/apps.md): 100 lines of 4096 characters. */
export const SEARCH_LIMITS: SearchLimits = { maxMatches: 100, maxLineChars: 4096 };

/** A search command: its leading words and the text to find. */
export interface SearchCommand {
  readonly words: readonly string[];
  readonly text: string;
}

/** `input` as `count` words and a non-empty text, or undefined when it has fewer parts. */
export function splitCommand(input: string, count: number): SearchCommand | undefined {
  const words: string[] = [];
  let rest = input.trim();
  for (let i = 0; i < count; i++) {
    const m = /^(\S+)\s+/.exec(rest);
    if (m?.[1] === undefined) return undefined;
    words.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return rest === '' ? undefined : { words, text: rest };
}

/** The configured entry of `shortcut` (case-sensitive), or an AppError naming the shortcuts. */
export function entryOf<T>(entries: Readonly<Record<string, T>>, shortcut: string): T {
  const entry = Object.hasOwn(entries, shortcut) ? entries[shortcut] : undefined;
  if (entry !== undefined) return entry;
  throw new AppError(`no file "${shortcut}"; shortcuts: ${Object.keys(entries).join(' ')}`);
}

/** The answer: the count on the first line, then one matching line per line. */
export function formatMatches({ lines, more }: Matches): string {
  const n = lines.length;
  const head = more
    ? `more than ${n} matches, the first ${n}:`
    : `${n} ${n === 1 ? 'match' : 'matches'}`;
  return [head, ...lines].join('\n');
}

/**
 * What a user reads when the file of `shortcut` cannot be read: the reason, never the path.
 * At the signal, its reason (the timeout) instead.
 */
export function readFailure(shortcut: string, err: unknown, signal: AbortSignal): AppError {
  signal.throwIfAborted();
  return new AppError(`cannot read "${shortcut}": ${systemReason(err)}`);
}
