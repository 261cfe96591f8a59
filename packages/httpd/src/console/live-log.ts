/**
 * `GET /api/log` (DESIGN §13): the live log as Server-Sent Events, one `data:` event per JSON
 * log line at or above `?level=` (default info). Each client has a bounded buffer: when the
 * socket holds more than LOG_CLIENT_BUFFER_BYTES unsent, the client is dropped, so a reader
 * that stalls never grows the daemon's memory. Streams end when the channel closes.
 */
import type { Request, Response } from 'express';
import { levelOf, type Runtime } from '@switchboard/core';
import type { HeaderSet } from '../security-headers.js';

/** Unsent bytes a client may hold before it is dropped. */
export const LOG_CLIENT_BUFFER_BYTES = 64 * 1024;

/** pino's level numbers by name, for `?level=`. */
const LEVELS: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** The minimum level `req` asks for, or undefined when it names none of pino's. */
export function requestedLevel(req: Request): number | undefined {
  const name = typeof req.query.level === 'string' ? req.query.level : 'info';
  return Object.hasOwn(LEVELS, name) ? LEVELS[name] : undefined;
}

/** Streams the log on `res` at `level` and above until the client goes or `stopping` fires. */
export function streamLog(
  runtime: Runtime,
  req: Request,
  res: Response,
  level: number,
  headers: HeaderSet,
  stopping: AbortSignal,
): void {
  const { logFeed, logger } = runtime.services;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'x-accel-buffering': 'no',
  });
  res.write(': the live log\n\n');
  let ended = false;
  const detach = (): void => {
    ended = true;
    unsubscribe();
    stopping.removeEventListener('abort', end);
  };
  const end = (): void => {
    if (ended) return;
    detach();
    res.end();
  };
  const unsubscribe = logFeed.subscribe((line) => {
    if (ended || levelOf(line) < level) return;
    if (res.writableLength <= LOG_CLIENT_BUFFER_BYTES) {
      res.write(`data: ${line.trimEnd()}\n\n`);
      return;
    }
    detach();
    // Not from inside the logger's own write: the warning is a log line too.
    setImmediate(() => {
      logger.warn(
        { channel: 'http', source: req.ip },
        'live log client dropped: it read slower than the log came',
      );
      res.destroy();
    });
  });
  res.on('close', end);
  stopping.addEventListener('abort', end);
}
