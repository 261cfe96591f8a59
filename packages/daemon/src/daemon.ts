/**
 * The running daemon (`switchboard run`): config, services, runtime and channels; reload on
 * file change or SIGHUP; graceful stop on SIGTERM/SIGINT or `.e stop`.
 */
import {
  APPS,
  EXAMPLE_PASSWORD,
  Pipeline,
  bootstrap,
  checkSanity,
  createConfigLoader,
  effectiveFilters,
  triggerProblems,
  type Bootstrapped,
  type Config,
  type ConfigLoader,
} from '@switchboard/core';
import { closeChannels, startChannels, startKey, type RunningChannel } from './channels.js';
import { watchConfig } from './config-watcher.js';
import { UsageError, type Io } from './io.js';
import { logDestination } from './log-destination.js';

/** How long a stop waits for in-flight commands before closing anyway. */
const STOP_GRACE_MS = 15_000;

/** A config that loaded and is safe to run, or every reason it is not. */
function loadProblems(
  loader: ConfigLoader,
  path: string,
  io: Io,
): Promise<{ config?: Config; problems: string[] }> {
  return loader.load(path, { env: io.env }).then((result) => {
    if (!result.ok) return { problems: result.errors };
    const problems = checkSanity(result.config);
    return problems.length === 0 ? { config: result.config, problems } : { problems };
  });
}

/** One daemon: start() it, then it runs until stop(). */
export class Daemon {
  readonly #path: string;
  readonly #baseDir: string;
  readonly #io: Io;
  readonly #loader = createConfigLoader(APPS);
  #boot?: Bootstrapped;
  #channels: RunningChannel[] = [];
  #watcher?: { close(): Promise<void> };
  #stopping?: Promise<void>;
  #reloading: Promise<void> = Promise.resolve();
  readonly #stopped: Promise<void>;
  #markStopped: () => void = () => undefined;

  constructor(path: string, baseDir: string, io: Io) {
    this.#path = path;
    this.#baseDir = baseDir;
    this.#io = io;
    this.#stopped = new Promise((resolve) => (this.#markStopped = resolve));
  }

  /** Loads the config and starts everything; throws UsageError for a bad or unsafe config. */
  async start(): Promise<void> {
    const problems = triggerProblems(APPS);
    const loaded = await loadProblems(this.#loader, this.#path, this.#io);
    problems.push(...loaded.problems);
    if (loaded.config === undefined || problems.length > 0) {
      throw new UsageError(
        `${this.#path}: refusing to start, ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`,
      );
    }
    const config = loaded.config;
    const boot = bootstrap(config, {
      logDestination: await logDestination(this.#io),
      logLevel: this.#io.env.SWITCHBOARD_LOG_LEVEL ?? 'info',
      baseDir: this.#baseDir,
      spawnHelper: true,
      requestStop: () => void this.stop(),
    });
    this.#boot = boot;
    const { logger } = boot.services;
    await this.#selfTest(config);
    await boot.services.outbox.start();
    // Watch before announcing "listening", so an edit right after start is never missed.
    this.#watcher = await watchConfig(this.#path, () => void this.reload('file change'));
    this.#channels = await startChannels(boot.runtime);
    this.#announceChannels();
    if (this.#channels.length === 0)
      logger.warn('no channel is enabled; add an http, smtp, telegram or twilio block');
    this.#hint(config);
  }

  /** Resolves when the daemon has stopped. */
  get stopped(): Promise<void> {
    return this.#stopped;
  }

  /**
   * Loads the config again. A valid, safe config is swapped in: filters, apps and limits at
   * once, channels restarted only when their listen settings changed. Anything else is logged
   * and the running config stays.
   */
  reload(reason: string): Promise<void> {
    this.#reloading = this.#reloading.then(() => this.#reload(reason));
    return this.#reloading;
  }

  async #reload(reason: string): Promise<void> {
    const boot = this.#boot;
    if (boot === undefined || this.#stopping !== undefined) return;
    const { logger } = boot.services;
    const { config, problems } = await loadProblems(this.#loader, this.#path, this.#io);
    if (config === undefined) {
      logger.error({ reason, problems }, 'config reload failed; the running config stays');
      return;
    }
    const before = boot.runtime.config();
    boot.runtime.swap(new Pipeline({ config, services: boot.services }));
    if (before.mail.outbox !== config.mail.outbox) {
      logger.warn('mail.outbox changed: the daemon moves to the new directory at its next restart');
    }
    if (JSON.stringify(before.mail) !== JSON.stringify(config.mail)) {
      boot.services.outbox.reconfigure(config.mail);
    }
    if (startKey(before) !== startKey(config)) {
      logger.info('listen settings changed: restarting the channels');
      await closeChannels(this.#channels);
      this.#channels = [];
      try {
        this.#channels = await startChannels(boot.runtime);
      } catch (error) {
        logger.error({ err: error }, 'cannot restart the channels; stopping');
        await this.stop();
        return;
      }
      this.#announceChannels();
    }
    logger.info({ reason }, 'config reloaded');
  }

  /** Stops accepting, lets in-flight commands finish (bounded), flushes, and resolves. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const boot = this.#boot;
    await this.#watcher?.close();
    if (boot !== undefined) {
      const { logger } = boot.services;
      logger.info({ inFlight: boot.runtime.inFlight }, 'stopping');
      const closing = closeChannels(this.#channels);
      if (!(await boot.runtime.idle(STOP_GRACE_MS))) logger.warn('commands still running at stop');
      await closing;
      await boot.services.processes.close();
      await boot.services.outbox.stop();
      logger.info('stopped');
    }
    this.#markStopped();
  }

  /** Runs each enabled app's self-test; a failure is a warning, the app may still recover. */
  async #selfTest(config: Config): Promise<void> {
    const logger = this.#boot?.services.logger;
    for (const app of APPS) {
      if (app.selfTest === undefined || !app.isConfigured(config)) continue;
      try {
        await app.selfTest(config);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger?.warn({ app: app.trigger, reason }, 'app self-test failed');
      }
    }
  }

  /** One `listening` line per running channel: its address and what it adds to say. */
  #announceChannels(): void {
    const logger = this.#boot?.services.logger;
    for (const { name, handle } of this.#channels) {
      logger?.info({ channel: name, address: handle.address, ...handle.details }, 'listening');
    }
  }

  /** With the example password on, tells a new user what to type. */
  #hint(config: Config): void {
    const boot = this.#boot;
    const http = this.#channels.find((c) => c.name === 'http');
    if (boot === undefined || http === undefined) return;
    if (!effectiveFilters(config, 'http').pinAndShortcuts.passwords.includes(EXAMPLE_PASSWORD))
      return;
    boot.services.logger.info(
      `try it: open ${http.handle.address} and type "${EXAMPLE_PASSWORD} .s uptime", or: ` +
        `curl -d 'command=${EXAMPLE_PASSWORD} .s uptime' ${http.handle.address}api/command`,
    );
  }
}
