/**
 * Spelling an answer word by word (laitos' SpellPhonetically, laitos-daemons.md §6.5), for a
 * caller who typed the `0123` prefix: a synthesised voice reading "xK7&" is hard to follow, a
 * list such as "xray, capital kilo, seven, ampersand" is not.
 */

const LETTERS =
  'alpha beta charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar ' +
  'papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu';
const DIGITS = 'zero one two three four five six seven eight nine';

/** Character → spoken word (laitos' table; note "beta", not "bravo"). */
const WORDS: ReadonlyMap<string, string> = new Map([
  ...zip('abcdefghijklmnopqrstuvwxyz', LETTERS.split(' ')),
  ...zip('0123456789', DIGITS.split(' ')),
  ['`', 'back tick'],
  ['~', 'tilde'],
  ['!', 'exclamation'],
  ['@', 'at'],
  ['#', 'hash'],
  ['$', 'dollar'],
  ['%', 'percentage'],
  ['^', 'caret'],
  ['&', 'ampersand'],
  ['*', 'asterisk'],
  ['(', 'left parentheses'],
  [')', 'right parentheses'],
  ['-', 'dash'],
  ['_', 'underscore'],
  ['=', 'equal'],
  ['+', 'plus'],
  ['[', 'left square bracket'],
  ['{', 'left curly bracket'],
  [']', 'right square bracket'],
  ['}', 'right curly bracket'],
  ['\\', 'back slash'],
  ['|', 'pipe'],
  [';', 'semicolon'],
  [':', 'colon'],
  ["'", 'single quote'],
  ['"', 'double quote'],
  [',', 'comma'],
  ['<', 'left angle bracket'],
  ['.', 'dot'],
  ['>', 'right angle bracket'],
  ['/', 'slash'],
  ['?', 'question'],
]);

/** Pairs each character of `chars` with the word at the same index. */
function zip(chars: string, words: readonly string[]): (readonly [string, string])[] {
  return Array.from(chars, (char, i) => [char, words[i] ?? char] as const);
}

/** The digits that, typed before a keypad command, ask for the answer spelled phonetically. */
export const PHONETIC_PREFIX = '0123';

/**
 * Spells `text` as comma-separated words: letters in the NATO alphabet (with "capital" before
 * upper case), digits and symbols by name, each run of whitespace as "space"; any other
 * character stands for itself.
 */
export function spellPhonetically(text: string): string {
  const words: string[] = [];
  for (const run of text.match(/\s+|\S/gu) ?? []) {
    if (/^\s/u.test(run)) {
      words.push('space');
      continue;
    }
    const lower = run.toLowerCase();
    const word = WORDS.get(lower) ?? lower;
    words.push(lower === run ? word : `capital ${word}`);
  }
  return words.join(', ');
}
