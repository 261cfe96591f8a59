/**
 * Test support (not exported): HTTP/1.1 over a raw node:net socket, so a fuzzer can send what
 * fetch and node:http refuse to (any method, header bytes, lying Content-Length, garbage), and
 * a lenient reader for what comes back, with the checks every HTTP answer must pass.
 */
import { connect } from 'node:net';
import { excerpt, leakIn } from './fuzz-rig.js';

/** One parsed HTTP answer. */
export interface HttpAnswer {
  /** The status code. */
  readonly status: number;
  /** The status line and header lines as received. */
  readonly head: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What one connection carried: the bytes sent, the answers read, how it ended. */
export interface Exchange {
  /** The bytes written. */
  readonly sent: Buffer;
  /** Every answer read, in order (several when requests were pipelined). */
  readonly answers: readonly HttpAnswer[];
  /** Bytes that did not parse as an answer (a truncated one, or not HTTP). */
  readonly rest: string;
  /** closed: the server closed; reset: an error (ECONNRESET, EPIPE); hung: no close in 20 s. */
  readonly end: 'closed' | 'reset' | 'hung';
}

/** How long a connection may stay open: only a hung server takes this long. */
const HANG_MS = 20_000;

/**
 * Sends `bytes` on a fresh connection to 127.0.0.1:`port` and reads until the server closes.
 * `halfClose` sends FIN right after the bytes: for requests the server would otherwise wait on
 * (a body shorter than its Content-Length, garbage without a blank line).
 */
export function exchange(port: number, bytes: Buffer, halfClose: boolean): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let end: Exchange['end'] = 'closed';
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      end = 'hung';
      socket.destroy();
    }, HANG_MS);
    socket.on('connect', () => {
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {
      if (end === 'closed') end = 'reset';
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const { answers, rest } = parseAnswers(Buffer.concat(chunks), bytes);
      resolve({ sent: bytes, answers, rest, end });
    });
  });
}

/** A request to encode: the method, target and headers as given, and a body. */
export interface RawRequest {
  /** Any token, sent as is. */
  readonly method: string;
  /** The request target, sent as is (a path, `*`, an absolute URL...). */
  readonly target: string;
  /** Name and value pairs, in order, sent as Latin-1. */
  readonly headers: readonly (readonly [string, string])[];
  /** Sent as is; a string as UTF-8. */
  readonly body: Buffer | string;
}

/**
 * Encodes `request` as HTTP/1.1 with a Host header, `Connection: close` and, unless the
 * request names its own, a Content-Length that tells the truth.
 */
export function encode(request: RawRequest): Buffer {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (!names.has('content-length') && !names.has('transfer-encoding')) {
    lines.push(`Content-Length: ${String(body.length)}`);
  }
  if (!names.has('connection')) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** Sends a well-formed `request` (see encode) and reads its answer. */
export function send(port: number, request: RawRequest): Promise<Exchange> {
  return exchange(port, encode(request), false);
}

/** Every answer in `data`, in order, and what is left that does not parse. */
function parseAnswers(data: Buffer, sent: Buffer): { answers: HttpAnswer[]; rest: string } {
  const answers: HttpAnswer[] = [];
  const isHead = sent.subarray(0, 5).toString('latin1').toUpperCase() === 'HEAD ';
  let at = 0;
  while (at < data.length) {
    const blank = data.indexOf('\r\n\r\n', at);
    if (blank < 0) break;
    const head = data.subarray(at, blank).toString('latin1');
    const [statusLine = '', ...headerLines] = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
    if (status === null) break;
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name] ?? ''}, ${value}` : value;
    }
    const code = Number(status[1]);
    let next = blank + 4;
    let body: Buffer = Buffer.alloc(0);
    const bodiless = code < 200 || code === 204 || code === 304 || (isHead && answers.length === 0);
    if (bodiless) {
      // no body
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const chunked = readChunked(data, next);
      if (chunked === undefined) break;
      ({ body, next } = chunked);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isSafeInteger(length) || next + length > data.length) break;
      body = data.subarray(next, next + length);
      next += length;
    } else {
      body = data.subarray(next);
      next = data.length;
    }
    answers.push({ status: code, head, headers, body: body.toString('utf8') });
    at = next;
  }
  return { answers, rest: data.subarray(at).toString('latin1') };
}

/** A chunked body starting at `at`, and where the data after it starts; undefined if cut. */
function readChunked(data: Buffer, at: number): { body: Buffer; next: number } | undefined {
  const parts: Buffer[] = [];
  let next = at;
  for (;;) {
    const eol = data.indexOf('\r\n', next);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(next, eol).toString('latin1'), 16);
    if (!Number.isSafeInteger(size)) return undefined;
    next = eol + 2;
    if (size === 0) {
      // Trailers (none expected) end with a blank line.
      const end = data.indexOf('\r\n', next);
      return end < 0 ? undefined : { body: Buffer.concat(parts), next: end + 2 };
    }
    if (next + size + 2 > data.length) return undefined;
    parts.push(data.subarray(next, next + size));
    next += size + 2;
  }
}

/** What a check of an exchange needs besides the exchange. */
export interface ExpectAnswer {
  /** The request was well-formed and complete: an answer must come, and no reset. */
  readonly required: boolean;
}

/**
 * Problems of one exchange: a hang, a missing or unparseable answer (where one is due), any
 * 5xx, and any leak (see LEAK_PATTERNS) in an answer's head or body.
 */
export function httpProblems(ex: Exchange, expect: ExpectAnswer): string[] {
  const problems: string[] = [];
  if (ex.end === 'hung') problems.push('the connection hung (no close within 20 s)');
  if (expect.required && ex.answers.length === 0) {
    problems.push(`no answer (the connection ${ex.end === 'reset' ? 'was reset' : 'closed'})`);
  }
  if (ex.rest !== '' && ex.end === 'closed') problems.push(`unparseable answer bytes`);
  const request = ex.sent.toString('utf8');
  for (const answer of ex.answers) {
    if (answer.status >= 500) problems.push(`status ${String(answer.status)}`);
    const leak = leakIn(`${answer.head}\r\n\r\n${answer.body}`, request);
    if (leak !== undefined) problems.push(`the answer shows ${leak}`);
  }
  return problems;
}

/** The exchange, readable in a failure message. */
export function describeExchange(ex: Exchange): string {
  const answers = ex.answers.map((a) => `  ${excerpt(a.head, 300)}\n  body ${excerpt(a.body)}`);
  return [
    `request ${excerpt(ex.sent.toString('latin1'), 900)}`,
    `answers (${String(ex.answers.length)}, connection ${ex.end}):`,
    ...answers,
    ...(ex.rest === '' ? [] : [`unparsed ${excerpt(ex.rest, 300)}`]),
  ].join('\n');
}

/** Throws one readable error when `problems` is not empty. */
export function failOn(problems: readonly string[], ex: Exchange): void {
  if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${describeExchange(ex)}`);
}
