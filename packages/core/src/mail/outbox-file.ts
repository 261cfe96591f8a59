/**
 * One outbox file: its shape on disk, reading it leniently and writing it atomically
 * (temp file, fsync, rename, fsync the directory), so a crash never leaves half a mail.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../config/system-reason.js';
import type { OutgoingMail } from './outgoing-mail.js';

/** Queued files are `<id>.json`. */
export const SUFFIX = '.json';
/** Half-written files start with this; start() removes crash leftovers. */
export const TMP_PREFIX = '.tmp-';

/** One outbox file, as stored on disk (times in milliseconds since the epoch). */
export interface QueuedMail {
  readonly id: string;
  readonly mail: OutgoingMail;
  readonly attempts: number;
  readonly firstQueuedAt: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

/** Writes `<dir>/<id>.json` atomically: a reader sees the old file or the new one, never half. */
export async function writeQueuedFile(dir: string, record: QueuedMail): Promise<void> {
  const tmp = join(dir, `${TMP_PREFIX}${randomUUID()}`);
  // 0600: queued mail can hold command output meant for one person.
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(record, null, 2) + '\n', 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, join(dir, record.id + SUFFIX));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Reads an outbox file; missing counters get defaults, so a hand-made file is accepted too. */
export function parseRecord(text: string, id: string, now: number): QueuedMail {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value) || !isOutgoingMail(value.mail)) {
    throw new Error('not an outbox file: needs mail.to, mail.subject and mail.text');
  }
  return {
    id, // the file name wins over the content: it is what the worker schedules
    mail: value.mail,
    attempts: numberOr(value.attempts, 0),
    firstQueuedAt: numberOr(value.firstQueuedAt, now),
    nextAttemptAt: numberOr(value.nextAttemptAt, now),
    ...(typeof value.lastError === 'string' ? { lastError: value.lastError } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOutgoingMail(value: unknown): value is OutgoingMail {
  return (
    isRecord(value) &&
    Array.isArray(value.to) &&
    value.to.every((to) => typeof to === 'string') &&
    typeof value.subject === 'string' &&
    typeof value.text === 'string'
  );
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** fsync a directory so a rename in it survives a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some platforms and filesystems cannot fsync a directory; the rename is still atomic.
    if (!['EISDIR', 'EINVAL', 'EPERM'].includes(errorCode(err) ?? '')) throw err;
  } finally {
    await handle.close();
  }
}
