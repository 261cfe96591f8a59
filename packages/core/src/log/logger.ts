/**
 * The logger: pino JSON to a stream (stdout for the daemon, stderr for the CLI), also copied
 * into a LogRing for `.e log`. Secrets are redacted by key (redact.ts).
 */
import { pino, type Logger } from 'pino';
import { LogRing } from './log-ring.js';
import { REDACT_TOP, redactNested } from './redact.js';

/** A logger and the ring that mirrors it. */
export interface Logging {
  readonly logger: Logger;
  readonly ring: LogRing;
}

/** Builds a logger writing JSON lines to `destination` and to a fresh ring. */
export function createLogging(options: {
  level?: string;
  destination: { write(line: string): unknown };
}): Logging {
  const ring = new LogRing();
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
    ]),
  );
  return { logger, ring };
}
