/**
 * The input of `.i` (reference §8.8): `l ACCOUNT SKIP COUNT` lists, `r ACCOUNT N` reads. Unlike
 * laitos' `\w+`, a nickname is anything up to a space or comma, so `work-mail` (laitos' own
 * docs example) works.
 */

/** The most messages one `.il` lists (laitos' limit); a larger COUNT is cut to it. */
export const MAX_LIST_COUNT = 200;

/** The line `.i` answers a form it does not know with. */
export const IMAP_USAGE = 'usage: .il ACCOUNT SKIP COUNT | .ir ACCOUNT NUMBER';

/** What `.il` asks for: COUNT messages of ACCOUNT, after skipping the SKIP newest. */
export interface ListRequest {
  readonly kind: 'list';
  readonly account: string;
  readonly skip: number;
  readonly count: number;
}

/** What `.ir` asks for: message NUMBER of ACCOUNT. */
export interface ReadRequest {
  readonly kind: 'read';
  readonly account: string;
  readonly number: number;
}

// Numbers are separated by spaces or a comma (`ltest 1, 2` from laitos' tests).
const LIST = /^l\s*([^\s,]+)[\s,]+(\d+)[\s,]+(\d+)$/i;
const READ = /^r\s*([^\s,]+)[\s,]+(\d+)$/i;

/** The request in `input` (the text after `.i`), or undefined for anything else. */
export function parseImapInput(input: string): ListRequest | ReadRequest | undefined {
  const text = input.trim();
  const list = LIST.exec(text);
  if (list !== null) {
    const [, account = '', skip = '', count = ''] = list;
    const wanted = Math.min(Math.max(numberOf(count), 1), MAX_LIST_COUNT);
    return { kind: 'list', account, skip: numberOf(skip), count: wanted };
  }
  const read = READ.exec(text);
  if (read === null) return undefined;
  const [, account = '', number = ''] = read;
  return { kind: 'read', account, number: numberOf(number) };
}

/** Digits as a number; beyond 2^53 it stays 2^53-1, which no mailbox reaches anyway. */
function numberOf(digits: string): number {
  return Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
}
