/**
 * The latest log lines in memory, for `.e log` and `.e warn` (DESIGN §3). It is a pino
 * destination: every JSON line the logger writes also lands here, formatted for a chat reply.
 */

/** pino numeric level of `warn`. */
const WARN_LEVEL = 40;

interface PinoLine {
  time?: number;
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

/** Two bounded rings: all entries, and warnings and worse. */
export class LogRing {
  readonly #capacity: number;
  readonly #all: string[] = [];
  readonly #warn: string[] = [];

  constructor(capacity = 256) {
    this.#capacity = capacity;
  }

  /** pino destination interface: one JSON line per call. */
  write(line: string): void {
    let parsed: PinoLine;
    try {
      parsed = JSON.parse(line) as PinoLine;
    } catch {
      return;
    }
    const entry = formatEntry(parsed);
    push(this.#all, entry, this.#capacity);
    if ((parsed.level ?? 0) >= WARN_LEVEL) push(this.#warn, entry, this.#capacity);
  }

  /** Entries newest first; `warn` gives only warnings and errors. */
  entries(kind: 'log' | 'warn'): string[] {
    return [...(kind === 'warn' ? this.#warn : this.#all)].reverse();
  }
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

function push(ring: string[], entry: string, capacity: number): void {
  ring.push(entry);
  if (ring.length > capacity) ring.shift();
}
