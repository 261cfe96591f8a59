/**
 * Test support for the SMTP fuzz suite (not exported): a raw SMTP session over node:net that
 * checks every reply as it arrives (well-formed, no local error, no unexplained 421 or 5xx, no
 * library text) and keeps a transcript, and a small reader for the mail the relay received.
 */
import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { excerpt, leakIn } from './fuzz-rig.js';

/** Only a hung server takes this long to reply. */
const HANG_MS = 20_000;
/** The legitimate reasons for a 421 (ours: limits, bans, lockdown; smtp-server's: abuse). */
const FINE_421 =
  /rate limited|banned|locked down|maintenance|Too many connected clients|Timeout - closing|too many unrecognized commands|too many unauthenticated commands|HTTP requests not allowed|Command line too long|You talk too soon/;
/** 5xx replies that are answers, not failures: syntax, sequence, relay, size, policy. */
const FINE_5XX = new Set([500, 501, 502, 503, 504, 550, 552, 553, 554, 555]);

/** One SMTP reply: its code (0 when malformed) and its lines. */
export interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** A raw SMTP session that keeps a transcript for failure messages. */
export class SmtpSession {
  /** What was said, `C:` and `S:` lines, for a failure message. */
  readonly transcript: string[] = [];
  /** What was wrong with the replies so far. */
  readonly problems: string[] = [];
  readonly #socket: Socket;
  readonly #decoder = new StringDecoder('utf8');
  readonly #replies: Reply[] = [];
  #pending = '';
  #lines: string[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  /** Connects to 127.0.0.1:`port`; read the greeting with reply(). */
  constructor(port: number) {
    this.#socket = connect({ host: '127.0.0.1', port });
    this.#socket.on('data', (chunk: Buffer) => {
      this.#pending += this.#decoder.write(chunk);
      this.#split();
    });
    this.#socket.on('error', () => undefined);
    this.#socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
  }

  #split(): void {
    for (let eol = this.#pending.indexOf('\n'); eol >= 0; eol = this.#pending.indexOf('\n')) {
      const line = this.#pending.slice(0, eol).replace(/\r$/, '');
      this.#pending = this.#pending.slice(eol + 1);
      this.transcript.push(`S: ${excerpt(line, 300)}`);
      this.#lines.push(line);
      // A reply ends at "NNN text" (or at a line that is not a reply line at all).
      if (!/^\d{3}-/.test(line)) {
        const code = /^\d{3}(?: |$)/.test(line) ? Number(line.slice(0, 3)) : 0;
        this.#replies.push({ code, lines: this.#lines });
        this.#lines = [];
      }
    }
    this.#wake?.();
  }

  /** The next reply, or undefined once the server has closed without one. */
  async reply(sent: string): Promise<Reply | undefined> {
    const deadline = Date.now() + HANG_MS;
    while (this.#replies.length === 0 && !this.#closed) {
      if (Date.now() > deadline) {
        this.problems.push('no reply within 20 s');
        this.#socket.destroy();
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 200);
      });
    }
    const reply = this.#replies.shift();
    if (reply !== undefined) this.#check(reply, sent);
    return reply;
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<Reply | undefined> {
    if (this.#closed) return undefined;
    this.transcript.push(`C: ${excerpt(line, 300)}`);
    this.#socket.write(`${line}\r\n`);
    return this.reply(line);
  }

  /** Sends a message body (dot-stuffed here) and its end, and reads the reply. */
  async data(body: string): Promise<Reply | undefined> {
    if (this.#closed) return undefined;
    const lines = body.split(/\r?\n/).map((l) => (l.startsWith('.') ? `.${l}` : l));
    this.transcript.push(`C: <${String(body.length)} chars of message>`);
    this.#socket.write(`${lines.join('\r\n')}\r\n.\r\n`);
    return this.reply(body);
  }

  #check(reply: Reply, sent: string): void {
    for (const line of reply.lines) {
      if (!/^\d{3}(?:[ -]|$)/.test(line)) this.problems.push(`malformed reply ${excerpt(line)}`);
    }
    const text = reply.lines.join('\n');
    if (reply.code === 451) this.problems.push(`a local error: ${excerpt(text)}`);
    if (reply.code === 421 && !FINE_421.test(text)) this.problems.push(`421 ${excerpt(text)}`);
    if (reply.code >= 500 && !FINE_5XX.has(reply.code)) this.problems.push(`5xx ${excerpt(text)}`);
    const leak = leakIn(text, sent);
    if (leak !== undefined) this.problems.push(`a reply shows ${leak}`);
  }

  /** Fails with the transcript if anything was wrong; then closes. */
  finish(extra: readonly string[] = []): void {
    this.#socket.destroy();
    const problems = [...this.problems, ...extra];
    if (problems.length > 0) {
      throw new Error(`${problems.join('; ')}\n${this.transcript.slice(-40).join('\n')}`);
    }
  }
}

/** Opens a session and checks the greeting. */
export async function open(port: number): Promise<SmtpSession> {
  const session = new SmtpSession(port);
  const greeting = await session.reply('');
  if (greeting?.code !== 220) session.problems.push(`greeting ${JSON.stringify(greeting)}`);
  return session;
}

/** The decoded text parts of a raw mail (7bit, 8bit, quoted-printable, base64; multipart). */
export function textParts(raw: string): string[] {
  const split = raw.search(/\r?\n\r?\n/);
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r?\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (name: string) =>
    new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const type = header('Content-Type').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(header('Content-Type'))?.[1];
  if (type.startsWith('multipart/') && boundary !== undefined) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((part) => textParts(part.replace(/^\r?\n/, '')));
  }
  if (type !== '' && !type.startsWith('text/')) return [];
  const cte = header('Content-Transfer-Encoding').toLowerCase();
  if (cte === 'base64') return [Buffer.from(body, 'base64').toString('utf8')];
  if (cte === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return [Buffer.from(bytes, 'latin1').toString('utf8')];
  }
  return [body];
}

/** The Subject of a raw mail. */
export function subjectOf(raw: string): string {
  return /^Subject:[ \t]*(.*)$/im.exec(raw)?.[1]?.trim() ?? '';
}
