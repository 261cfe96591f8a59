/**
 * The log of a one-off CLI run (`exec`) as readable lines on stderr: the daemon's JSON lines
 * are for journald and log shippers; a person at a terminal or a script reading stderr gets
 * `switchboard: warning: mail delivery failed; will retry (lastError=...)`.
 */
import { jsonObject } from '@switchboard/core';

/** pino's numeric levels in words. */
const LEVELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
/** Fields every line has, or that say nothing to a reader of one run. */
const SKIPPED: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** A logger destination that writes each JSON line to `out` in words. */
export function readableLog(out: NodeJS.WritableStream): { write(line: string): void } {
  return { write: (line) => void out.write(`${readableLine(line)}\n`) };
}

/** One pino JSON line in words; a line that is not JSON is kept as it is. */
export function readableLine(line: string): string {
  const entry = jsonObject(line);
  if (entry === undefined) return line.trimEnd();
  const fields = Object.entries(entry);
  const get = (key: string): unknown => fields.find(([k]) => k === key)?.[1];
  const level = LEVELS[Number(get('level'))] ?? 'info';
  const extra = fields
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const msg = typeof get('msg') === 'string' ? String(get('msg')) : '';
  return `switchboard: ${level}: ${msg}${extra.length === 0 ? '' : ` (${extra.join(' ')})`}`;
}
