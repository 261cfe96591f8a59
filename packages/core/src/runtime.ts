/**
 * What a channel needs from the daemon: process a command with the config in force now, and
 * the shared services. Reload swaps the pipeline; commands already running finish on the one
 * they started with. The runtime also keeps the one drain of a graceful stop (DESIGN §10):
 * channels hand it their in-flight work, and the daemon waits for it, with one grace period.
 */
import type { ChannelName, Command, LiveOutput, Result } from './command.js';
import type { Config } from './config/types.js';
import type { PipelineError } from './errors.js';
import type { AdmissionRequest } from './guard/admission.js';
import type { Caller, Pipeline } from './pipeline/pipeline.js';
import type { Services } from './services.js';

/** The daemon's side of a channel. */
export interface Runtime {
  /** Runs a command through the current pipeline, streaming its output to `live`. Never throws. */
  process(command: Command, live?: LiveOutput): Promise<Result>;
  /**
   * Admission (DESIGN §10) under the config in force, for what a channel checks before a
   * command exists (a connection, a call, /start): undefined when admitted, else the refusal.
   */
  admit(request: AdmissionRequest): Promise<PipelineError | undefined>;
  /**
   * The caller of `command` by its credential, with admission and a failed login counted as
   * for a command; for routes that answer without running one (`GET /api/commands`).
   */
  authenticate(command: Command): Promise<Caller | PipelineError>;
  /** Whether `content` holds a password, shortcut or valid code pair for `channel`; no side effects. */
  authorises(channel: ChannelName, content: string): boolean;
  /** The config in force now (read it per request: reload may change it). */
  config(): Config;
  /**
   * Counts `work` (a command with its reply) as in flight until it settles; a stop waits for it.
   * process() counts itself; a channel tracks what it does around it (sending the reply).
   */
  track<T>(work: Promise<T>): Promise<T>;
  /** Aborted when a stop's grace period is over: work still in flight should give up. */
  readonly abandoned: AbortSignal;
  readonly services: Services;
}

/** A running channel, as the daemon keeps it. */
export interface ChannelHandle {
  /** Where it listens or what it polls, for the start-up log line. */
  readonly address: string;
  /** More fields for that one line (what a channel accepts, say). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The TCP port of its own listener, if it has one. */
  readonly port?: number;
  /**
   * Sends a message of the daemon's own (a monitor alert) to `target`, a chat the channel knows;
   * resolves once sent or given up (it logs). Only channels that can push have it.
   */
  sendText?(target: number, text: string): Promise<void>;
  /** Stops accepting new work and releases sockets and timers. */
  close(): Promise<void>;
}

/** The Runtime of one daemon: the current pipeline, swappable, with an in-flight count. */
export class PipelineRuntime implements Runtime {
  readonly services: Services;
  #pipeline: Pipeline;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #abandon = new AbortController();

  constructor(pipeline: Pipeline, services: Services) {
    this.#pipeline = pipeline;
    this.services = services;
  }

  process(command: Command, live?: LiveOutput): Promise<Result> {
    return this.track(this.#pipeline.process(command, live));
  }

  async track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work;
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  get abandoned(): AbortSignal {
    return this.#abandon.signal;
  }

  admit(request: AdmissionRequest): Promise<PipelineError | undefined> {
    return this.#pipeline.admit(request);
  }

  authenticate(command: Command): Promise<Caller | PipelineError> {
    return this.#pipeline.authenticate(command);
  }

  authorises(channel: ChannelName, content: string): boolean {
    return this.#pipeline.authorises(channel, content);
  }

  config(): Config {
    return this.#pipeline.config;
  }

  /** Puts a new pipeline in force (config reload); returns the one it replaces. */
  swap(pipeline: Pipeline): Pipeline {
    const previous = this.#pipeline;
    this.#pipeline = pipeline;
    return previous;
  }

  /**
   * The graceful stop's wait: true once nothing is in flight, or false after `graceMs`, when
   * `abandoned` fires so that what is left gives up.
   */
  async drain(graceMs: number): Promise<boolean> {
    const done = await this.idle(graceMs);
    if (!done) this.#abandon.abort();
    return done;
  }

  /** Work in flight now (commands, replies). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves true when no command is running, or false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#idleWaiters.push(wake);
    });
  }
}
