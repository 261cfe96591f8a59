/**
 * `.plt SKIP MAXLEN TIMEOUT .app params` (DESIGN §2 stage 7): per-command overrides of
 * lintText's beginPosition and maxLength and of the timeout.
 */

/** The parsed override and the command it wraps. */
export interface PltOverride {
  readonly beginPosition: number;
  readonly maxLength: number;
  readonly timeoutSec: number;
  readonly command: string;
}

const PLT_PREFIX = '.plt';
/** The longest timeout `.plt` may ask for: the same bound as a channel's `timeoutSec`. */
export const MAX_PLT_TIMEOUT_SEC = 3600;
const PLT_ARGS = /^\D*(\d+)\D+(\d+)\D+(\d+)([\s\S]*)$/;

/** Whether `content` asks for a .plt override (case-insensitive). */
export function isPlt(content: string): boolean {
  return content.slice(0, PLT_PREFIX.length).toLowerCase() === PLT_PREFIX;
}

/** Parses a `.plt` command; undefined when it is malformed (the caller reports the usage). */
export function parsePlt(content: string): PltOverride | undefined {
  const m = PLT_ARGS.exec(content.slice(PLT_PREFIX.length));
  if (m === null) return undefined;
  const [, skip = '', max = '', timeout = '', rest = ''] = m;
  const command = rest.trim();
  const timeoutSec = Number(timeout);
  if (command === '' || timeoutSec < 1 || timeoutSec > MAX_PLT_TIMEOUT_SEC) return undefined;
  return { beginPosition: Number(skip), maxLength: Number(max), timeoutSec, command };
}
