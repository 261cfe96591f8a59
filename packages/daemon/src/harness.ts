/**
 * Test support (not exported): `switchboard run` as a child process with its parsed log lines,
 * and config files in fresh directories.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { waitFor } from '@switchboard/core/testing';

/** The built CLI. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
/** The repository's root directory (dist/ → package → packages → root). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The repository's example config. */
export const EXAMPLE = join(REPO_ROOT, 'config.example.json');

/** What one finished CLI run printed, and its exit status (-1: killed). */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in a child process, with extra environment variables, as `uid` if set. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; uid?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { ...process.env, ...options.env },
        timeout: 30_000,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One parsed log line. */
export interface LogLine {
  msg?: string;
  channel?: string;
  address?: string;
  problems?: string[];
  [key: string]: unknown;
}

/** A daemon child process and its parsed log lines. */
export class RunningDaemon {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stderr = '';
  /** The signal that ended the process, once it has ended by one (default handling). */
  exitSignal: NodeJS.Signals | null = null;
  readonly #waiters: (() => void)[] = [];
  /** Settles on 'close', after 'exit' and after stdout and stderr are fully read. */
  readonly #closed: Promise<number | null>;
  #done = false;

  /**
   * Runs `switchboard run -c configPath`, or the `command` given (the Docker image's entry
   * point, a systemd unit's ExecStart), with `env` added, in `cwd`, as `uid` (its group too).
   */
  constructor(
    readonly configPath: string,
    launch: {
      command?: readonly string[];
      env?: NodeJS.ProcessEnv;
      cwd?: string;
      uid?: number;
    } = {},
  ) {
    const [file, ...args] = launch.command ?? [process.execPath, CLI, 'run', '-c', configPath];
    this.child = spawn(file ?? process.execPath, args, {
      env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'info', ...launch.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
      ...(launch.uid === undefined ? {} : { uid: launch.uid, gid: launch.uid }),
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.lines.push({ msg: line });
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.#closed = new Promise((resolve) => {
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.exitSignal = signal;
        this.#done = true;
        for (const wake of this.#waiters.splice(0)) wake();
        resolve(code);
      });
    });
  }

  /**
   * Waits (up to 30 s: a daemon starting on a loaded 2-core machine is slow) for a log line that
   * satisfies `match`, counting from line `from`.
   */
  async waitFor(match: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      // Only once the output is fully read: 'exit' can come before the last lines.
      if (Date.now() > deadline || this.#done) {
        throw new Error(`no such log line; got:\n${JSON.stringify(this.lines)}\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** The http channel's URL from its "listening" line (after line `from`). */
  async url(from = 0): Promise<string> {
    const line = await this.waitFor((l) => l.msg === 'listening' && l.channel === 'http', from);
    return String(line.address).replace(/\/$/, '');
  }

  /**
   * The exit code, once the process has exited and its stdout and stderr are fully read (so
   * `lines` and `stderr` are complete; 'exit' alone can come before their last chunks).
   */
  exit(): Promise<number | null> {
    return this.#closed;
  }
}

/**
 * A shell command the test holds in flight: it touches a marker file in its own temp dir, then
 * waits until the test releases it. So the test acts while the command provably runs, however
 * slow the machine.
 */
export class HeldCommand {
  readonly #dir = mkdtempSync(join(tmpdir(), 'sb-held-'));
  readonly #started = join(this.#dir, 'started');
  readonly #release = join(this.#dir, 'release');

  /** The `.s` text: touch the marker, wait for the release, then print `output`. */
  shell(output: string): string {
    return (
      `touch '${this.#started}'; ` +
      `until [ -e '${this.#release}' ]; do sleep 0.05; done; echo ${output}`
    );
  }

  /**
   * Resolves once the command runs (its marker exists); rejects after 30 s, or at once if
   * `request` (the request that carries the command) settles before the marker appears.
   */
  async started(request?: Promise<unknown>): Promise<void> {
    let settled: string | undefined;
    void request?.then(
      (value) => (settled = inspect(value, { depth: 5 })),
      (err: unknown) => (settled = inspect(err)),
    );
    await waitFor('the held command to start', () => {
      if (settled !== undefined) throw new Error(`the command ended without starting: ${settled}`);
      return existsSync(this.#started);
    });
  }

  /** Lets the command finish; safe to call more than once. */
  release(): void {
    writeFileSync(this.#release, '');
  }
}

/** The first value `probe` finds, polling until it finds one. */
export async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  let found: T | undefined;
  await waitFor(what, () => (found = probe()) !== undefined);
  return found as T;
}

/** Writes `config` as JSON to `path`. */
export function writeConfig(path: string, config: unknown): void {
  writeFileSync(path, JSON.stringify(config, null, 2));
}

/** A config file in a fresh directory; returns its path. */
export function configDir(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-run-')), 'config.json');
  writeConfig(path, config);
  return path;
}

/** One sendMessage a fake Bot API was asked for. */
export interface SentMessage {
  readonly chatId: unknown;
  readonly text: unknown;
}

/** One call a fake Bot API received: what came before `/bot<token>/` in the path, and the method. */
export interface BotApiCall {
  readonly prefix: string;
  readonly method: string;
}

/** One sendPhoto a fake Bot API was asked for, read from its multipart/form-data body. */
export interface SentPhoto {
  readonly chatId: string;
  readonly caption: string | undefined;
  /** The request's own Content-Type header. */
  readonly requestType: string;
  readonly filename: string;
  readonly bytes: Buffer;
}

/**
 * A minimal Bot API: getMe names the bot, getWebhookInfo reports `webhookUrl`, getUpdates
 * holds a long poll for up to a second and answers no updates, every sendMessage is kept in
 * `sent` and every sendPhoto (a multipart upload, parsed by the fetch API's own FormData
 * reader) in `photos`, all answered ok; every call is kept in `calls`.
 */
export function fakeBotApi(
  sent: SentMessage[],
  webhookUrl: string,
  calls: BotApiCall[] = [],
  photos: SentPhoto[] = [],
): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const method = req.url?.split('/').pop() ?? '';
      calls.push({ prefix: (req.url ?? '').replace(/\/bot[^/]*\/[^/]*$/, ''), method });
      const requestType = req.headers['content-type'] ?? '';
      if (method === 'sendPhoto') {
        void readPhoto(bytes, requestType).then(
          (photo) => {
            photos.push(photo);
            res.setHeader('content-type', 'application/json');
            res.end(
              JSON.stringify({
                ok: true,
                result: {
                  message_id: 1,
                  date: 0,
                  chat: { id: Number(photo.chatId), type: 'private' },
                },
              }),
            );
          },
          () => {
            res.statusCode = 400;
            res.end(
              JSON.stringify({
                ok: false,
                error_code: 400,
                description: 'Bad Request: not multipart',
              }),
            );
          },
        );
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
      } catch {
        // Not JSON: answered as an empty call.
      }
      let result: unknown = true;
      if (method === 'getMe')
        result = { id: 1, is_bot: true, first_name: 'SB', username: 'sb_bot' };
      if (method === 'getWebhookInfo') result = { url: webhookUrl, pending_update_count: 0 };
      if (method === 'sendMessage') {
        sent.push({ chatId: body.chat_id, text: body.text });
        result = { message_id: sent.length, date: 0, chat: { id: body.chat_id, type: 'private' } };
      }
      res.setHeader('content-type', 'application/json');
      if (method === 'getUpdates') {
        // A long poll with nothing to deliver, held briefly so pollers do not spin.
        const holdSec = Math.min(Number(body.timeout ?? 0), 1);
        setTimeout(() => res.end(JSON.stringify({ ok: true, result: [] })), holdSec * 1000).unref();
        return;
      }
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
}

/** Parses a sendPhoto body; rejects unless it is multipart/form-data with a `photo` file. */
async function readPhoto(bytes: Buffer, requestType: string): Promise<SentPhoto> {
  const response = new Response(bytes, { headers: { 'content-type': requestType } });
  // Deprecated for servers that face the internet (it buffers whole bodies); this fake takes
  // small uploads from our own daemon, and an independent parser is what the test wants.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
  const form = await response.formData();
  const photo = form.get('photo');
  if (!requestType.startsWith('multipart/form-data') || !(photo instanceof Blob)) {
    throw new Error('sendPhoto without a multipart photo');
  }
  const caption = form.get('caption');
  const chatId = form.get('chat_id');
  return {
    chatId: typeof chatId === 'string' ? chatId : '',
    caption: typeof caption === 'string' ? caption : undefined,
    requestType,
    filename: photo instanceof File ? photo.name : '',
    bytes: Buffer.from(await photo.arrayBuffer()),
  };
}
