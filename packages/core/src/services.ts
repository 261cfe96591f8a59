/**
 * The stateful objects the daemon creates once and hands to the pipeline and apps.
 * Nothing here is module-level: tests build a fresh set per case.
 */
import type { Logger } from 'pino';
import type { MailQueue } from './mail/outgoing-mail.js';
import type { StateStore } from './guard/state-store.js';
import type { Stats } from './stats.js';
import type { LogFeed } from './log/log-feed.js';
import type { LogRing } from './log/log-ring.js';
import type { RecentCommands } from './recent-commands.js';
import type { RefusalLog } from './log/refusal-log.js';
import type { ProcessRunner } from './process/process-runner.js';
import type { Monitor } from './monitor/monitor.js';

/** Everything stateful, passed in a context. */
export interface Services {
  readonly logger: Logger;
  /** Latest log and warning lines for `.e log` / `.e warn`. */
  readonly logRing: LogRing;
  /** Every log line as it is written, for the live log (`GET /api/log`). */
  readonly logFeed: LogFeed;
  /** The last commands finished, for the console. */
  readonly recent: RecentCommands;
  /** Warnings about refused requests, at most one a minute per kind. */
  readonly refusals: RefusalLog;
  readonly store: StateStore;
  readonly stats: Stats;
  readonly mail: MailQueue;
  /** Where apps run programs: never child_process directly (DESIGN §11).*/
  readonly processes: ProcessRunner;
  /** The server monitor, when config `monitor` is set (the daemon starts it). */
  readonly monitor?: Monitor;
  /** Asks the daemon to stop gracefully (after the current reply). */
  readonly requestStop: () => void;
}
