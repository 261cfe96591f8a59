/**
 * lintText (DESIGN §2 stage 9): the output's six optional steps, in this fixed order.
 * Lengths count characters (code points), not bytes or UTF-16 units.
 */
import type { LintTextConfig } from '../config/types.js';

const LINE_BREAK = /\r\n|\n|\r/g;
const NOT_VISIBLE_7BIT = /[^\x20-\x7e\t\n\v\f\r]/gu;
const SPACE_RUN = /[ \t\v\f]+/g;

/** Applies the enabled lintText steps to `text`. */
export function lintText(text: string, cfg: LintTextConfig): string {
  let out = text;
  if (cfg.trimSpaces) {
    out = out
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .trim();
  }
  if (cfg.compressToSingleLine) out = out.replace(LINE_BREAK, ';');
  // With the `u` flag a lone surrogate is one code point, so it also becomes one '?'.
  if (cfg.keepVisible7BitCharOnly) out = out.replace(NOT_VISIBLE_7BIT, '?');
  if (cfg.compressSpaces) out = out.replace(SPACE_RUN, ' ');
  if (cfg.beginPosition > 0) out = sliceCodePoints(out, cfg.beginPosition, Infinity);
  if (cfg.maxLength > 0) out = sliceCodePoints(out, 0, cfg.maxLength);
  return out;
}

/** `text` from code point `start`, at most `count` code points. */
function sliceCodePoints(text: string, start: number, count: number): string {
  // Fast path: without surrogates, code points are UTF-16 units.
  if (!/[\ud800-\udfff]/.test(text)) return text.slice(start, start + count);
  let index = 0;
  let seen = 0;
  let from = text.length;
  for (const ch of text) {
    if (seen === start) from = index;
    if (seen === start + count) return text.slice(from, index);
    index += ch.length;
    seen++;
  }
  return text.slice(from);
}

/** Whether any visible character is left: not whitespace, control or format characters. */
export function hasVisibleCharacter(text: string): boolean {
  return /[^\s\p{Cc}\p{Cf}]/u.test(text);
}
