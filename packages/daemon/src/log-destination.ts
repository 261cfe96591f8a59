/**
 * Where the daemon's log lines go: pino JSON on stdout, or pino-pretty's readable lines when
 * stdout is a terminal (DESIGN issue 3).
 */
import { PinoPretty } from 'pino-pretty';
import type { Io } from './io.js';

/** A destination for createServices' logger. */
export function logDestination(io: Io): { write(line: string): unknown } {
  if (!io.isTty) return io.stdout;
  return PinoPretty({
    destination: 1,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    sync: true,
  });
}
