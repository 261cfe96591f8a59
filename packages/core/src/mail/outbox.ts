/**
 * The durable mail outbox (DESIGN §5): every outgoing mail is a JSON file in `mail.outbox`
 * until the relay has taken it. One worker per outbox delivers the due files one at a time,
 * so no file is ever sent by two workers at once, and retries with exponential backoff.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import type { Logger } from 'pino';
import { ConfigKeyError } from '../config/config-key-error.js';
import { errorCode } from '../config/system-reason.js';
import type { MailConfig } from '../config/types.js';
import { createRelay, type Relay } from './relay.js';
import type { MailQueue, OutgoingMail } from './outgoing-mail.js';
import {
  parseRecord,
  SUFFIX,
  syncDir,
  TMP_PREFIX,
  writeQueuedFile,
  type QueuedMail,
} from './outbox-file.js';

/** The delivery settings from the `mail` config block; a config reload may change them. */
export interface OutboxSettings {
  readonly from: string;
  /** Absent: nothing is delivered, mail waits in `dir` until a relay is configured. */
  readonly smtp?: MailConfig['smtp'];
  readonly retry: { readonly initialSec: number; readonly maxHours: number };
}

/** What an Outbox needs: its directory, the delivery settings, a logger and, for tests, a clock. */
export interface OutboxOptions extends OutboxSettings {
  readonly dir: string;
  readonly logger: Logger;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  readonly now?: () => number;
  /** How often a resumed outbox looks for files it does not know yet; for tests. */
  readonly rescanMs?: number;
}

/** Hard bound on one whole send, so stop() never waits on a relay that trickles forever. */
const SEND_DEADLINE_MS = 120_000;
/** setTimeout fires at once above 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often a running daemon looks for mail that someone else left in its outbox. */
const RESCAN_MS = 60_000;
/**
 * A file untouched this long belongs to nobody: a one-shot `exec` gives up on its own mail
 * within one send deadline, so adopting older files never sends a mail twice.
 */
const ADOPT_AFTER_MS = 2 * SEND_DEADLINE_MS;
/** Enough of a relay's error to diagnose it without bloating the file. */
const MAX_ERROR_CHARS = 500;
const FAILED_DIR = 'failed';
/** The config key of the outbox directory, named in start-up errors. */
const OUTBOX_KEY = 'mail.outbox';

/** A durable MailQueue: files in `dir`, delivered by one sequential worker. */
export class Outbox implements MailQueue {
  private readonly dir: string;
  private readonly failedDir: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly rescanMs: number;
  /** From the settings: replaced together by reconfigure(). */
  private from = '';
  private initialMs = 0;
  private maxAgeMs = 0;
  private transport: Relay | undefined;
  /** id → when it is due; the files are the truth, this only schedules them. */
  private readonly due = new Map<string, number>();
  private state: 'new' | 'started' | 'stopped' = 'new';
  private timer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** The worker loop while it runs; never rejects. */
  private running: Promise<void> | undefined;

  /** Builds the transport; nothing touches the disk until start() or enqueue(). */
  constructor(options: OutboxOptions) {
    this.dir = options.dir;
    this.failedDir = join(options.dir, FAILED_DIR);
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.rescanMs = options.rescanMs ?? RESCAN_MS;
    this.apply(options);
  }

  /**
   * Takes new delivery settings (a config reload): mail from now on goes through the new relay,
   * the send in flight finishes on the old one, and every queued mail is tried at once, as
   * after a restart, since a changed relay is usually a fixed one.
   */
  reconfigure(settings: OutboxSettings): void {
    if (this.state === 'stopped') return;
    const old = this.transport;
    const inFlight = this.running;
    this.apply(settings);
    const now = this.now();
    for (const id of this.due.keys()) this.due.set(id, now);
    this.logger.info(
      { queued: this.due.size, relay: this.transport !== undefined },
      'outbox: new mail settings; queued mail is tried now',
    );
    // `running` never rejects; the old transport closes once its last send is done.
    void (inFlight ?? Promise.resolve()).then(() => old?.close());
    this.wake();
  }

  /** Sets from, retry and the transport from `settings`, after checking them. */
  private apply(settings: OutboxSettings): void {
    const { initialSec, maxHours } = settings.retry;
    // Guard: a zero backoff would make a dead relay spin the worker.
    if (!(initialSec > 0) || !(maxHours > 0)) {
      throw new RangeError('mail.retry.initialSec and mail.retry.maxHours must be positive');
    }
    this.from = settings.from;
    this.initialMs = initialSec * 1000;
    this.maxAgeMs = maxHours * 3_600_000;
    this.transport = settings.smtp === undefined ? undefined : createRelay(settings.smtp);
  }

  /**
   * Creates the dirs, removes crash leftovers, and schedules every queued file right away; then
   * looks every minute for files it does not know (mail a one-shot `exec` could not deliver, or
   * a file moved back from `failed/`). With `resume: false` (a one-shot CLI run next to a
   * daemon) only mail enqueued by this process is delivered; the files already there,
   * half-written ones included, are left to the daemon that owns the outbox.
   */
  async start(options: { resume?: boolean } = {}): Promise<void> {
    if (this.state !== 'new') throw new Error(`outbox already ${this.state}`);
    await this.prepareDirs();
    if (options.resume !== false) {
      for (const name of await this.fileNames()) {
        if (name.startsWith(TMP_PREFIX)) {
          // A crash between write and rename: the mail was never acknowledged to its sender.
          await rm(join(this.dir, name), { force: true });
          this.logger.info({ file: name }, 'outbox: removed a half-written file');
        }
      }
      // A restart often follows a relay fix, so every queued mail is tried now.
      await this.adopt(0);
      this.rescanTimer = setInterval(() => {
        this.adopt(ADOPT_AFTER_MS).catch((err: unknown) => {
          this.logger.error({ err: errorText(err) }, 'outbox: cannot list the outbox');
        });
      }, this.rescanMs).unref();
    }
    this.state = 'started';
    if (this.transport === undefined) {
      this.logger.warn(
        { dir: this.dir, queued: this.due.size },
        'outbox: mail.smtp is not set; outgoing mail waits in the outbox until it is',
      );
    } else {
      this.logger.info({ dir: this.dir, queued: this.due.size }, 'outbox: started');
    }
    this.wake();
  }

  /** Writes the mail durably (temp file, fsync, rename, fsync dir), then wakes the worker. */
  async enqueue(mail: OutgoingMail): Promise<string> {
    await this.ensureDirs();
    const now = this.now();
    // Zero-padded time first, so a plain name sort is queue order.
    const id = `${String(now).padStart(13, '0')}-${randomUUID()}`;
    await this.write({ id, mail, attempts: 0, firstQueuedAt: now, nextAttemptAt: now });
    this.due.set(id, now);
    this.wake();
    return id;
  }

  /** Stops the worker timer, waits for the send in flight, and closes the transport. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    clearInterval(this.rescanTimer);
    this.rescanTimer = undefined;
    await this.running;
    this.transport?.close();
  }

  /** Resolves true once nothing is in flight and nothing due now waits; false on timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.running === undefined) {
        if (this.nextDue() === undefined) return true;
        // Not started, stopped or no relay: waiting could never empty the queue.
        if (!this.canDeliver()) return false;
        this.wake();
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.running.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(resolve, left, true);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
  }

  /** Ids of the mails still queued (not failed), oldest first. */
  pending(): Promise<string[]> {
    return mailIds(this.dir);
  }

  /** Ids of the mails given up on (in `failed/`), oldest first. */
  failed(): Promise<string[]> {
    return mailIds(this.failedDir);
  }

  /** The plain files in the outbox directory, in name (queue) order. */
  private async fileNames(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  }

  /** Schedules, due now, every queued file not yet known that nobody touched for `minAgeMs`. */
  private async adopt(minAgeMs: number): Promise<void> {
    let adopted = 0;
    for (const name of await this.fileNames()) {
      const id = name.slice(0, -SUFFIX.length);
      if (!name.endsWith(SUFFIX) || name.startsWith('.') || this.due.has(id)) continue;
      if (minAgeMs > 0) {
        const modified = await stat(join(this.dir, name)).then(
          (stats) => stats.mtimeMs,
          () => undefined, // delivered or removed meanwhile
        );
        if (modified === undefined || this.now() - modified < minAgeMs) continue;
      }
      this.due.set(id, this.now());
      adopted++;
    }
    if (adopted > 0 && this.state === 'started') {
      this.logger.info({ adopted }, 'outbox: found queued mail left by another process');
      this.wake();
    }
  }

  private canDeliver(): boolean {
    return this.state === 'started' && this.transport !== undefined;
  }

  /** Starts the worker loop unless it already runs; it re-checks the queue after every send. */
  private wake(): void {
    if (!this.canDeliver() || this.running !== undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.work().finally(() => {
      this.running = undefined;
      this.arm();
    });
  }

  private async work(): Promise<void> {
    for (let id = this.nextDue(); id !== undefined && this.canDeliver(); id = this.nextDue()) {
      try {
        await this.deliver(id);
      } catch (err) {
        // A disk error: keep the file, try again later rather than spin on it.
        this.due.set(id, this.now() + this.initialMs);
        this.logger.error({ id, err: errorText(err) }, 'outbox: cannot update a queued file');
      }
    }
  }

  /** Sets the timer for the earliest scheduled mail; unref'd so it never holds the process. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.canDeliver() || this.due.size === 0) return;
    const earliest = Math.min(...this.due.values());
    const delay = Math.min(Math.max(earliest - this.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.wake();
    }, delay).unref();
  }

  /** The due id scheduled earliest, or undefined. */
  private nextDue(): string | undefined {
    const now = this.now();
    let best: string | undefined;
    let bestAt = Infinity;
    for (const [id, at] of this.due) {
      if (at <= now && at < bestAt) {
        best = id;
        bestAt = at;
      }
    }
    return best;
  }

  private async deliver(id: string): Promise<void> {
    const file = join(this.dir, id + SUFFIX);
    let record: QueuedMail;
    try {
      record = parseRecord(await readFile(file, 'utf8'), id, this.now());
    } catch (err) {
      this.due.delete(id);
      if (errorCode(err) === 'ENOENT') return; // removed by hand meanwhile
      await rename(file, join(this.failedDir, id + SUFFIX));
      this.logger.warn({ id, err: errorText(err) }, 'outbox: unreadable file moved to failed/');
      return;
    }
    const transport = this.transport;
    if (transport === undefined) return;
    try {
      await transport.sendMail(toSendMailOptions(record.mail, this.from));
    } catch (err) {
      await this.recordFailure(record, errorText(err));
      return;
    }
    await rm(file, { force: true });
    this.due.delete(id);
    this.logger.info({ id, to: record.mail.to, attempts: record.attempts + 1 }, 'mail delivered');
  }

  /** Backs off (capped at the deadline), or gives up into failed/ once past maxHours. */
  private async recordFailure(record: QueuedMail, lastError: string): Promise<void> {
    const now = this.now();
    const attempts = record.attempts + 1;
    const deadline = record.firstQueuedAt + this.maxAgeMs;
    if (now >= deadline) {
      // Rewrite in place, then rename: a crash in between leaves it queued, never lost.
      await this.write({ ...record, attempts, nextAttemptAt: now, lastError });
      await rename(join(this.dir, record.id + SUFFIX), join(this.failedDir, record.id + SUFFIX));
      await syncDir(this.failedDir);
      await syncDir(this.dir);
      this.due.delete(record.id);
      this.logger.warn(
        { id: record.id, to: record.mail.to, attempts, lastError },
        'mail not delivered in time; moved to failed/',
      );
      return;
    }
    const backoff = this.initialMs * 2 ** (attempts - 1);
    const nextAttemptAt = Math.min(now + backoff, deadline);
    await this.write({ ...record, attempts, nextAttemptAt, lastError });
    this.due.set(record.id, nextAttemptAt);
    this.logger.warn(
      { id: record.id, attempts, retryAt: new Date(nextAttemptAt).toISOString(), lastError },
      'mail delivery failed; will retry',
    );
  }

  /** Writes `<id>.json` atomically. */
  private write(record: QueuedMail): Promise<void> {
    return writeQueuedFile(this.dir, record);
  }

  /**
   * At start: creates the dirs and checks that files can be made in them, or throws a
   * ConfigKeyError naming `mail.outbox`, so a daemon never runs with mail it cannot keep.
   */
  private async prepareDirs(): Promise<void> {
    try {
      await this.ensureDirs();
      // Root passes any mode check; a read-only mount still fails here, as it should.
      await access(this.dir, constants.R_OK | constants.W_OK | constants.X_OK);
      await access(this.failedDir, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch (err) {
      throw ConfigKeyError.from(OUTBOX_KEY, err, `cannot use ${this.dir}`);
    }
  }

  /** Creates `dir` and `dir/failed`; cheap when they exist, so enqueue works before start. */
  private async ensureDirs(): Promise<void> {
    await mkdir(this.failedDir, { recursive: true, mode: 0o700 });
  }
}

/** Ids of the mail files in `dir`, in name (queue) order; none when `dir` does not exist. */
async function mailIds(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'))
    .map((name) => name.slice(0, -SUFFIX.length))
    .sort();
}

/** Maps a queued mail onto nodemailer's fields; attachments travel as base64 in the file. */
function toSendMailOptions(mail: OutgoingMail, defaultFrom: string): SendMailOptions {
  return {
    from: mail.from ?? defaultFrom,
    to: [...mail.to],
    subject: mail.subject,
    text: mail.text,
    replyTo: mail.replyTo,
    inReplyTo: mail.inReplyTo,
    references: mail.references === undefined ? undefined : [...mail.references],
    headers: mail.headers === undefined ? undefined : { ...mail.headers },
    attachments: mail.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.contentBase64, 'base64'),
    })),
    signal: AbortSignal.timeout(SEND_DEADLINE_MS),
  };
}

/** The relay's or the OS's message only: never the options, which hold the password. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS) + '…' : text;
}
