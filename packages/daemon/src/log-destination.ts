/**
 * Where the daemon's log lines go: pino JSON on stdout, in batches (batched-destination.ts), or
 * pino-pretty's readable lines when stdout is a terminal (DESIGN issue 3).
 */
import { batchedDestination } from '@switchboard/core';
import type { Io } from './io.js';

/** A destination for createServices' logger. */
export async function logDestination(io: Io): Promise<{ write(line: string): unknown }> {
  // A test's captured stream is written line by line, as it is.
  if (!io.isTty) return io.stdout === process.stdout ? batchedDestination(1) : io.stdout;
  // Loaded only for a terminal: a daemon logging JSON to journald keeps its memory (DESIGN §9).
  const { PinoPretty } = await import('pino-pretty');
  return PinoPretty({
    destination: 1,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    sync: true,
  });
}
