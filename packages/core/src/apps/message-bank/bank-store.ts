/**
 * The message bank on disk: one JSON file per message, `N.json`, in one directory. A post is
 * written to a temporary file, flushed, then hard-linked to the next free number: link(2)
 * fails when the name exists, so concurrent posts (channels of one daemon, or a daemon and
 * `switchboard exec`) each claim a number of their own, and a crash at any point leaves every
 * message stored before it whole (at worst a stray temporary file, which is swept later). No
 * state is kept in memory: the directory is the bank.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonObject } from '../../config/json-path.js';

/** One kept message. */
export interface BankedMessage {
  /** Its number: one more than the highest kept when it was posted. */
  readonly number: number;
  /** When it was posted, ISO 8601 UTC without fractions. */
  readonly time: string;
  readonly channel: string;
  readonly source: string;
  readonly text: string;
}

/** What a post stores; the bank gives the number. */
export type NewMessage = Omit<BankedMessage, 'number'>;

const MESSAGE_FILE = /^([1-9]\d{0,14})\.json$/;
const TEMP_PREFIX = '.post-';
/** A temporary file this old was left by a writer that died; younger ones may be in use. */
const STALE_TEMP_MS = 60_000;
/** Numbers tried past the highest one seen before giving up (others posting at the same time). */
const MAX_CLAIMS = 1000;

/** A directory of messages, at most `maxMessages` of them (the oldest dropped first). */
export class BankStore {
  readonly #dir: string;
  readonly #max: number;

  constructor(options: { readonly dir: string; readonly maxMessages: number }) {
    this.#dir = options.dir;
    this.#max = options.maxMessages;
  }

  /** Stores a message under the next number; returns it and how many are kept now. */
  async post(message: NewMessage): Promise<{ number: number; kept: number }> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temp = join(this.#dir, `${TEMP_PREFIX}${randomUUID()}`);
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(message)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    let number: number;
    try {
      number = await this.#claim(temp);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    await syncDirectory(this.#dir);
    const kept = await this.#prune();
    return { number, kept };
  }

  /** The newest `count` messages, newest first, and how many are kept in all. */
  async list(
    count: number,
    signal?: AbortSignal,
  ): Promise<{ messages: BankedMessage[]; total: number }> {
    const numbers = await this.#numbers();
    const messages: BankedMessage[] = [];
    for (const number of numbers.slice(-count).reverse()) {
      signal?.throwIfAborted();
      const message = await this.read(number);
      if (message !== undefined) messages.push(message);
    }
    return { messages, total: numbers.length };
  }

  /** Message `number`, or undefined when there is none (or its file is not one of ours). */
  async read(number: number): Promise<BankedMessage | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path(number), 'utf8');
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
    return parseMessage(number, text);
  }

  /** Deletes message `number`; false when there was none. */
  async delete(number: number): Promise<boolean> {
    try {
      await unlink(this.#path(number));
      return true;
    } catch (err) {
      if (isCode(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** Deletes every message (until `signal` fires); returns how many it deleted. */
  async clear(signal?: AbortSignal): Promise<number> {
    let deleted = 0;
    for (const number of await this.#numbers()) {
      signal?.throwIfAborted();
      if (await this.delete(number)) deleted++;
    }
    return deleted;
  }

  /** Throws a clear Error when the directory cannot be created or written (the self-test). */
  async checkWritable(): Promise<void> {
    const probe = join(this.#dir, `${TEMP_PREFIX}probe-${randomUUID()}`);
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await (await open(probe, 'wx', 0o600)).close();
      await unlink(probe);
    } catch (err) {
      const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
      throw new Error(`cannot write directory ${this.#dir} (${reason})`, {
        cause: err,
      });
    }
  }

  /** Links `temp` to the first free number past the highest kept; returns that number. */
  async #claim(temp: string): Promise<number> {
    const start = (await this.#numbers()).at(-1) ?? 0;
    for (let number = start + 1; number <= start + MAX_CLAIMS; number++) {
      try {
        await link(temp, this.#path(number));
        return number;
      } catch (err) {
        if (!isCode(err, 'EEXIST')) throw err;
      }
    }
    throw new Error(`message bank: no free number after #${start} (${MAX_CLAIMS} tried)`);
  }

  /** Drops the oldest messages beyond the maximum and stale temporary files; returns the count. */
  async #prune(): Promise<number> {
    const names = await readdir(this.#dir);
    const numbers = numbersOf(names);
    for (const number of numbers.slice(0, Math.max(0, numbers.length - this.#max))) {
      await this.delete(number);
    }
    for (const name of names.filter((n) => n.startsWith(TEMP_PREFIX))) {
      const path = join(this.#dir, name);
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
    }
    return Math.min(numbers.length, this.#max);
  }

  /** The numbers kept, oldest first; none when the directory does not exist yet. */
  async #numbers(): Promise<number[]> {
    try {
      return numbersOf(await readdir(this.#dir));
    } catch (err) {
      if (isCode(err, 'ENOENT')) return [];
      throw err;
    }
  }

  #path(number: number): string {
    return join(this.#dir, `${number}.json`);
  }
}

/** The message numbers among directory entries, ascending. */
function numbersOf(names: readonly string[]): number[] {
  return names
    .map((name) => MESSAGE_FILE.exec(name)?.[1])
    .filter((n) => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** A message file's content, or undefined when it is not a message of ours. */
function parseMessage(number: number, text: string): BankedMessage | undefined {
  const value = jsonObject(text);
  if (value === undefined) return undefined;
  const { time, channel, source, text: body } = value;
  if (![time, channel, source, body].every((v) => typeof v === 'string')) return undefined;
  return {
    number,
    time: String(time),
    channel: String(channel),
    source: String(source),
    text: String(body),
  };
}

/** Flushes a directory's entries, so a new name survives a power cut (fsync(2) on the dir). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isCode(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
