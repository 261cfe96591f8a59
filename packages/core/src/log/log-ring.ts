/**
 * The latest log lines in memory, for `.e log` and `.e warn` (DESIGN §3). It is a pino
 * destination: every JSON line the logger writes also lands here. Lines are kept as written and
 * formatted for a chat reply only when read: the logger writes a line per command, `.e log` is
 * rare, so parsing each line as it is written would be paid on the hot path for nothing.
 */
import { Ring } from '../ring.js';
import { jsonObject } from '../config/json-path.js';

/** pino numeric level of `warn`. */
const WARN_LEVEL = 40;

/** A longer line is formatted (and so cut to 4096 characters) at once, to bound the ring. */
const MAX_RAW_CHARS = 8192;

/** pino starts each line with the level when no `base` fields are set (createLogging). */
const LEADING_LEVEL = /^\{"level":(\d+)/;

interface PinoLine {
  time?: number;
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

/** Two bounded rings of raw lines: all entries, and warnings and worse. */
export class LogRing {
  readonly #all: Ring<Item>;
  readonly #warn: Ring<Item>;

  constructor(capacity = 256) {
    this.#all = new Ring<Item>(capacity);
    this.#warn = new Ring<Item>(capacity);
  }

  /** pino destination interface: one JSON line per call. */
  write(line: string): void {
    const item: Item = line.length > MAX_RAW_CHARS ? { entry: format(line) ?? '' } : line;
    this.#all.push(item);
    if (levelOf(line) >= WARN_LEVEL) this.#warn.push(item);
  }

  /** Entries newest first, formatted; `warn` gives only warnings and errors. */
  entries(kind: 'log' | 'warn'): string[] {
    const entries: string[] = [];
    for (const item of (kind === 'warn' ? this.#warn : this.#all).newestFirst()) {
      const entry = typeof item === 'string' ? format(item) : item.entry;
      if (entry !== undefined && entry !== '') entries.push(entry);
    }
    return entries;
  }
}

/** A raw line, or one formatted when written because it was too long to keep raw. */
type Item = string | { readonly entry: string };

/** The line's pino level, read from its start when pino put it there, else parsed. */
export function levelOf(line: string): number {
  const leading = LEADING_LEVEL.exec(line);
  if (leading !== null) return Number(leading[1]);
  return parse(line)?.level ?? 0;
}

/** The chat form of a raw line; undefined if it is not a JSON object. */
function format(line: string): string | undefined {
  const parsed = parse(line);
  return parsed === undefined ? undefined : formatEntry(parsed);
}

function parse(line: string): PinoLine | undefined {
  return jsonObject(line);
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIPPED_KEYS: ReadonlySet<string> = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

function formatEntry(line: PinoLine): string {
  const time = new Date(line.time ?? Date.now()).toISOString().slice(0, 19).replace('T', ' ');
  const fields = Object.entries(line)
    .filter(([key]) => !SKIPPED_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const level = LEVEL_NAMES[line.level ?? 30] ?? 'INFO';
  return [time, level, line.msg ?? '', ...fields].join(' ').slice(0, 4096);
}
