/**
 * The last commands the pipeline finished, for the console (DESIGN §13): what ran, from where,
 * how it went. The text is the one the log shows (no password; `<hidden>` for sensitive apps).
 */
import type { ChannelName } from './command.js';
import { Ring } from './ring.js';

/** One finished command. */
export interface RecentCommand {
  /** ISO 8601, when it finished. */
  readonly time: string;
  readonly channel: ChannelName;
  readonly source: string;
  /** The app's trigger; absent when no app was chosen (a refused login). */
  readonly app?: string;
  /** The command as shown in the log. */
  readonly command: string;
  readonly ok: boolean;
  /** The error code when it failed. */
  readonly error?: string;
  readonly ms: number;
}

/** How many commands the console shows. */
export const RECENT_COMMANDS = 200;

/** A fixed ring of the latest commands. */
export class RecentCommands {
  readonly #ring: Ring<RecentCommand>;

  constructor(capacity = RECENT_COMMANDS) {
    this.#ring = new Ring(capacity);
  }

  /** Keeps `command`, dropping the oldest once full. */
  record(command: RecentCommand): void {
    this.#ring.push(command);
  }

  /** The commands kept, newest first. */
  newestFirst(): RecentCommand[] {
    return this.#ring.newestFirst();
  }
}
