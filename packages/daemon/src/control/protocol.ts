/**
 * The control socket's wire format (docs/control.md): one JSON object a line each way. A
 * request is `{"verb": ...}` with the verb's arguments; an answer is `{"ok": true, "result":
 * ...}` or `{"ok": false, "error": "..."}`. Both sides bound what they read.
 */
import { jsonObject } from '@switchboard/core';

/** The verbs the socket takes, in the order help texts list them. */
export const VERBS = ['status', 'bans', 'unban', 'lock', 'maintenance', 'reload'] as const;

/** One request. */
export type Request =
  | { readonly verb: 'status' | 'bans' | 'lock' | 'reload' }
  | { readonly verb: 'unban'; readonly source: string }
  | { readonly verb: 'maintenance'; readonly on?: boolean };

/** One answer. */
export type Answer =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/** The longest request line the daemon reads; a longer one ends the connection. */
export const MAX_REQUEST_BYTES = 4096;
/** The longest answer line the client reads (a status, or the bans the daemon lists). */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** The longest path a Unix socket takes: sun_path's 108 bytes, less the final NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

/** Why `path` cannot be a Unix socket's path, if it cannot (Node would silently cut it). */
export function socketPathProblem(path: string): string | undefined {
  const bytes = Buffer.byteLength(path);
  return bytes > MAX_SOCKET_PATH_BYTES
    ? `path too long for a Unix socket (${bytes} bytes; at most ${MAX_SOCKET_PATH_BYTES})`
    : undefined;
}

/** A request line parsed and checked, or the error to answer it with. */
export function parseRequest(line: string): Request | { readonly error: string } {
  const fields = jsonObject(line);
  if (fields === undefined) return { error: 'malformed request: not a JSON object on one line' };
  const { verb } = fields;
  switch (verb) {
    case 'status':
    case 'bans':
    case 'lock':
    case 'reload':
      return { verb };
    case 'unban':
      return typeof fields.source === 'string' && fields.source.trim() !== ''
        ? { verb, source: fields.source.trim() }
        : { error: 'unban needs "source": a non-empty string' };
    case 'maintenance':
      if (fields.on === undefined) return { verb };
      return typeof fields.on === 'boolean'
        ? { verb, on: fields.on }
        : { error: 'maintenance takes "on": true or false' };
    default: {
      const which = verb === undefined ? 'no "verb"' : `unknown verb ${JSON.stringify(verb)}`;
      return { error: `${which}: one of ${VERBS.join(', ')}` };
    }
  }
}

/**
 * Splits a byte stream into lines of at most `max` bytes: `onLine` gets each line, `onTooLong`
 * is called once a line outgrows `max` (the caller then ends the stream).
 */
export class LineReader {
  readonly #max: number;
  #chunks: Buffer[] = [];
  #length = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Feeds `chunk`; returns the complete lines in it, or 'too long'. */
  push(chunk: Buffer): string[] | 'too long' {
    const lines: string[] = [];
    let start = 0;
    let end: number;
    while ((end = chunk.indexOf(0x0a, start)) >= 0) {
      this.#chunks.push(chunk.subarray(start, end));
      this.#length += end - start;
      if (this.#length > this.#max) return 'too long';
      lines.push(Buffer.concat(this.#chunks).toString('utf8'));
      this.#chunks = [];
      this.#length = 0;
      start = end + 1;
    }
    this.#chunks.push(chunk.subarray(start));
    this.#length += chunk.length - start;
    return this.#length > this.#max ? 'too long' : lines;
  }
}
