/**
 * The running daemon (`switchboard run`): config, services, runtime and channels; reload on
 * file change or SIGHUP; graceful stop on SIGTERM/SIGINT or `.e stop`.
 */
import {
  APPS,
  ConfigKeyError,
  EXAMPLE_PASSWORD,
  Pipeline,
  bootstrap,
  checkSanity,
  createConfigLoader,
  effectiveFilters,
  failureText,
  tlsProblems,
  triggerProblems,
  type Bootstrapped,
  type Config,
  type ConfigLoader,
} from '@switchboard/core';
import { closeChannels, startChannels, startKey, type RunningChannel } from './channels.js';
import { watchConfig } from './config-watcher.js';
import { idleWarnings } from './idle-warnings.js';
import { UsageError, type Io } from './io.js';
import { probeListens } from './listen-probe.js';
import { logDestination } from './log-destination.js';

/** How long a stop waits for in-flight commands before closing anyway. */
const STOP_GRACE_MS = 15_000;

/** A config that loaded, is safe to run and has usable TLS files, or every reason it is not. */
async function loadProblems(
  loader: ConfigLoader,
  path: string,
  io: Io,
): Promise<{ config?: Config; problems: string[] }> {
  const result = await loader.load(path, { env: io.env });
  if (!result.ok) return { problems: result.errors };
  const problems = [...checkSanity(result.config), ...(await tlsProblems(result.config))];
  return problems.length === 0 ? { config: result.config, problems } : { problems };
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
  #starting?: Promise<void>;
  #stopping?: Promise<void>;
  /** Reloads run one after another; this one never rejects. */
  #reloading: Promise<void> = Promise.resolve();
  /** Aborted by stop(): a start or a reload in progress gives up at its next step. */
  readonly #abort = new AbortController();
  #failed = false;
  readonly #stopped: Promise<void>;
  #markStopped: () => void = () => undefined;

  constructor(path: string, baseDir: string, io: Io) {
    this.#path = path;
    this.#baseDir = baseDir;
    this.#io = io;
    this.#stopped = new Promise((resolve) => (this.#markStopped = resolve));
  }

  /**
   * Loads the config and starts everything; throws UsageError for a bad or unsafe config, and
   * a ConfigKeyError (or another error) when something fails to start. A stop() meanwhile
   * ends the start early, without an error: what did start is closed by the stop.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const signal = this.#abort.signal;
    const problems = triggerProblems(APPS);
    const loaded = await loadProblems(this.#loader, this.#path, this.#io);
    if (this.#stopRequested()) return;
    problems.push(...loaded.problems);
    if (loaded.config === undefined || problems.length > 0) {
      throw new UsageError(
        `${this.#path}: refusing to start, ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`,
      );
    }
    const config = loaded.config;
    const destination = await logDestination(this.#io);
    if (this.#stopRequested()) return;
    const boot = bootstrap(config, {
      logDestination: destination,
      logLevel: this.#io.env.SWITCHBOARD_LOG_LEVEL ?? 'info',
      baseDir: this.#baseDir,
      requestStop: () => void this.stop(),
    });
    this.#boot = boot;
    try {
      await this.#announcePrograms(config);
      if (this.#stopRequested()) return;
      await this.#selfTest(config, signal);
      if (this.#stopRequested()) return;
      await boot.services.outbox.start();
      if (this.#stopRequested()) return;
      // Watch before announcing "listening", so an edit right after start is never missed.
      this.#watcher = await watchConfig(this.#path, () => void this.reload('file change'));
      if (this.#stopRequested()) return;
      this.#channels = await startChannels(boot.runtime, signal);
      if (this.#stopRequested()) return;
    } catch (error) {
      if (this.#stopRequested()) return; // the stop ended it; it is not a failure
      throw error;
    }
    this.#announceChannels();
    for (const warning of idleWarnings(config)) boot.services.logger.warn(warning);
    this.#hint(config);
  }

  /** Resolves when the daemon has stopped. */
  get stopped(): Promise<void> {
    return this.#stopped;
  }

  /** Whether the daemon stops because of a failure rather than because it was told to. */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Loads the config again. A valid, safe config is swapped in: filters, apps and limits at
   * once, channels restarted only when their listen settings changed. Anything else, and a
   * config whose channels cannot start, is logged and the running config stays.
   */
  reload(reason: string): Promise<void> {
    this.#reloading = this.#reloading
      .then(() => this.#reload(reason))
      .catch((error: unknown) => {
        this.#boot?.services.logger.error(
          { reason, err: failureText(error) },
          'config reload failed; the running config stays',
        );
      });
    return this.#reloading;
  }

  async #reload(reason: string): Promise<void> {
    // A reload (SIGHUP) during start-up waits for the start, so the two never race.
    await this.#starting?.catch(() => undefined);
    const boot = this.#boot;
    if (boot === undefined || this.#stopRequested()) return;
    const { logger } = boot.services;
    const { config, problems } = await loadProblems(this.#loader, this.#path, this.#io);
    if (this.#stopRequested()) return;
    if (config === undefined) {
      logger.error({ reason, problems }, 'config reload failed; the running config stays');
      return;
    }
    // apps.shell.contain "pidns" where no namespace can be made: as at start-up, not applied.
    const uncontained = await boot.services.processes.containment(config.apps.shell.contain).then(
      () => undefined,
      (error: unknown) => failureText(error),
    );
    if (uncontained !== undefined) {
      logger.error(
        { reason, problems: [uncontained] },
        'config reload failed; the running config stays',
      );
      return;
    }
    const before = boot.runtime.config();
    const next = new Pipeline({ config, services: boot.services });
    if (startKey(before) === startKey(config)) boot.runtime.swap(next);
    else if (!(await this.#restartChannels(next, reason))) return;
    // Only a config in force gets the outbox: a failed reload leaves the mail settings alone.
    if (before.mail.outbox !== config.mail.outbox) {
      logger.warn('mail.outbox changed: the daemon moves to the new directory at its next restart');
    }
    if (JSON.stringify(before.mail) !== JSON.stringify(config.mail)) {
      boot.services.outbox.reconfigure(config.mail);
    }
    logger.info({ reason }, 'config reloaded');
  }

  /**
   * Restarts the channels on `next`; true once they run. A new listen address someone else
   * holds fails before anything closes. A channel that fails to start puts the old pipeline
   * back and restarts the old channels; if even those fail, the daemon stops as failed.
   */
  async #restartChannels(next: Pipeline, reason: string): Promise<boolean> {
    const boot = this.#boot;
    if (boot === undefined) return false;
    const { logger } = boot.services;
    const signal = this.#abort.signal;
    try {
      await probeListens(next.config, this.#channels);
    } catch (error) {
      this.#cannotApply(error, reason);
      return false;
    }
    logger.info('listen settings changed: restarting the channels');
    await closeChannels(this.#channels);
    this.#channels = [];
    const previous = boot.runtime.swap(next);
    let failure: unknown;
    try {
      this.#channels = await startChannels(boot.runtime, signal);
    } catch (error) {
      failure = error;
    }
    if (this.#stopRequested()) return false; // stopping: the stop closes what started
    if (failure === undefined) {
      this.#announceChannels();
      return true;
    }
    boot.runtime.swap(previous);
    try {
      this.#channels = await startChannels(boot.runtime, signal);
    } catch (error) {
      if (this.#stopRequested()) return false;
      this.#cannotApply(failure, reason);
      logger.error(
        { reason, key: keyOf(error) },
        `cannot restart the old channels: ${failureText(error)}`,
      );
      void this.#fail();
      return false;
    }
    if (this.#stopRequested()) return false;
    this.#announceChannels();
    this.#cannotApply(failure, reason);
    return false;
  }

  /**
   * Whether stop() was called: a start or reload checks it after every step. (A method, not
   * `signal.aborted`, which the compiler would take as constant across the awaits.)
   */
  #stopRequested(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Logs why a reload was not applied: `cannot apply the new config: <key>: <reason>`. */
  #cannotApply(error: unknown, reason: string): void {
    this.#boot?.services.logger.error(
      { reason, key: keyOf(error) },
      `cannot apply the new config: ${failureText(error)}`,
    );
  }

  /** Stops accepting, lets in-flight commands finish (bounded), flushes, and resolves. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** stop(), as the outcome of a failure: the exit status says so. */
  #fail(): Promise<void> {
    this.#failed = true;
    return this.stop();
  }

  async #stop(): Promise<void> {
    this.#abort.abort();
    // A start or reload in progress ends at its next step; then everything it started is here.
    await this.#starting?.catch(() => undefined);
    await this.#reloading;
    const boot = this.#boot;
    await this.#watcher?.close();
    if (boot !== undefined) {
      const { logger } = boot.services;
      logger.info({ inFlight: boot.runtime.inFlight }, 'stopping');
      const closing = closeChannels(this.#channels);
      if (!(await boot.runtime.drain(STOP_GRACE_MS))) logger.warn('commands still running at stop');
      await closing;
      await boot.services.processes.close();
      await boot.services.outbox.stop();
      logger.info('stopped');
    }
    this.#markStopped();
  }

  /** Runs each enabled app's self-test; a failure is a warning, the app may still recover. */
  /**
   * Logs how programs start and what a time limit reaches (`programs run with posix_spawn,
   * contained by pidns`), with why where it is not the best; throws the ConfigKeyError of an
   * `apps.shell.contain` that cannot work here.
   */
  async #announcePrograms(config: Config): Promise<void> {
    const services = this.#boot?.services;
    if (services === undefined) return;
    const { choice } = services.processes;
    const containment = await services.processes.containment(config.apps.shell.contain);
    services.logger.info(
      {
        backend: choice.backend.name,
        ...(choice.why === undefined ? {} : { why: choice.why }),
        contain: containment.mode,
        ...(containment.mode === 'group' ? { containWhy: containment.why } : {}),
      },
      `programs run with ${choice.backend.name}, contained by ${containment.mode}`,
    );
  }

  async #selfTest(config: Config, signal: AbortSignal): Promise<void> {
    const logger = this.#boot?.services.logger;
    for (const app of APPS) {
      if (app.selfTest === undefined || !app.isConfigured(config)) continue;
      try {
        await app.selfTest(config, signal);
      } catch (error) {
        if (this.#stopRequested()) return; // cut short by the stop: says nothing about the app
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

/** The config key a failure names, if it names one. */
function keyOf(error: unknown): string | undefined {
  return error instanceof ConfigKeyError ? error.key : undefined;
}
