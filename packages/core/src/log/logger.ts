/**
 * The logger: pino JSON to a stream (stdout for the daemon, stderr for the CLI), also copied
 * into a LogRing for `.e log` and handed to the live log's listeners (LogFeed). Secrets are
 * redacted by key (redact.ts).
 */
import { pino, type Logger } from 'pino';
import { LogFeed } from './log-feed.js';
import { LogRing } from './log-ring.js';
import { REDACT_TOP, redactNested } from './redact.js';

/** A logger, the ring that mirrors it and its live feed. */
export interface Logging {
  readonly logger: Logger;
  readonly ring: LogRing;
  readonly feed: LogFeed;
}

/** Builds a logger writing JSON lines to `destination`, a fresh ring and a fresh feed. */
export function createLogging(options: {
  level?: string;
  destination: { write(line: string): unknown };
}): Logging {
  const ring = new LogRing();
  const feed = new LogFeed();
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: REDACT_TOP,
      formatters: { log: redactNested },
    },
    pino.multistream([
      { level: 'trace', stream: options.destination },
      { level: 'trace', stream: ring },
      { level: 'trace', stream: feed },
    ]),
  );
  return { logger, ring, feed };
}
