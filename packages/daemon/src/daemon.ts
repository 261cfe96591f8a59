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
  daemonStatus,
  dataDirectory,
  effectiveFilters,
  failureText,
  passwordOf,
  tlsProblems,
  triggerProblems,
  type Bootstrapped,
  type Config,
  type DaemonStatus,
  type Sampler,
} from '@switchboard/core';
import { closeChannels, startChannels, startKey, type RunningChannel } from './channels.js';
import { watchConfig } from './config-watcher.js';
import type { ReloadOutcome } from './control/actions.js';
import { openControlSocket, type ControlSocket } from './control/server.js';
import { idleWarnings } from './idle-warnings.js';
import { UsageError, type Io } from './io.js';
import { probeListens } from './listen-probe.js';
import { logDestination } from './log-destination.js';
import { cliVersion } from './version.js';

/** How long a stop waits for in-flight commands before closing anyway. */
const STOP_GRACE_MS = 15_000;
/** What a reload that a stop cut short reports. */
const STOPPING: ReloadOutcome = { applied: false, reason: 'the daemon is stopping' };

/**
 * A config that loaded, is safe to run and has usable TLS files, or every reason it is not. The
 * schema is compiled for each load (start, reload) and dropped after it: kept, the compiled
 * validator would hold ~1.3 MiB of the idle daemon's heap to save ~0.2 s per reload (DESIGN §9).
 */
async function loadProblems(
  path: string,
  io: Io,
): Promise<{ config?: Config; problems: string[] }> {
  const result = await createConfigLoader(APPS).load(path, { env: io.env });
  if (!result.ok) return { problems: result.errors };
  const problems = [...checkSanity(result.config), ...(await tlsProblems(result.config))];
  return problems.length === 0 ? { config: result.config, problems } : { problems };
}

/** One daemon: start() it, then it runs until stop(). */
export class Daemon {
  readonly #path: string;
  readonly #baseDir: string;
  readonly #io: Io;
  #boot?: Bootstrapped;
  #channels: RunningChannel[] = [];
  #watcher?: { close(): Promise<void> };
  #control?: ControlSocket;
  #starting?: Promise<void>;
  #stopping?: Promise<void>;
  /** Reloads run one after another; this one never rejects. */
  #reloading: Promise<void> = Promise.resolve();
  /** Aborted by stop(): a start or a reload in progress gives up at its next step. */
  readonly #abort = new AbortController();
  #failed = false;
  readonly #stopped: Promise<void>;
  #markStopped: () => void = () => undefined;
  /** The monitor's system reader; default /proc. */
  readonly #sampler: Sampler | undefined;

  /** `options.sampler` replaces the monitor's /proc reader (tests drive a scripted one). */
  constructor(path: string, baseDir: string, io: Io, options: { sampler?: Sampler } = {}) {
    this.#path = path;
    this.#baseDir = baseDir;
    this.#io = io;
    this.#sampler = options.sampler;
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
    const loaded = await loadProblems(this.#path, this.#io);
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
      dataDir: dataDirectory(this.#baseDir, this.#io.env),
      requestStop: () => void this.stop(),
      telegramPush: (chatId, text) => this.#pushTelegram(chatId, text),
      ...(this.#sampler === undefined ? {} : { sampler: this.#sampler }),
    });
    this.#boot = boot;
    try {
      // A shared store (Redis) is reached before anything is admitted; unreachable, it runs degraded.
      await boot.services.store.open();
      if (this.#stopRequested()) return;
      if (config.maintenance.enabled) await boot.services.store.setMaintenance(true);
      await this.#announcePrograms(config);
      if (this.#stopRequested()) return;
      await this.#selfTest(config, signal);
      if (this.#stopRequested()) return;
      await boot.services.outbox.start();
      if (this.#stopRequested()) return;
      this.#control = await openControlSocket(config.control.socket, {
        services: boot.services,
        channels: () => this.#channels,
        reload: (reason) => this.reload(reason),
        version: cliVersion(),
      });
      if (this.#stopRequested()) return;
      // Watch before announcing "listening", so an edit right after start is never missed.
      this.#watcher = await watchConfig(this.#path, () => void this.reload('file change'));
      if (this.#stopRequested()) return;
      this.#channels = await startChannels(boot.runtime, signal, this.#status);
      if (this.#stopRequested()) return;
      // After the channels: an alert raised at once finds the Telegram channel running.
      await boot.services.monitor?.start();
      if (this.#stopRequested()) return;
    } catch (error) {
      if (this.#stopRequested()) return; // the stop ended it; it is not a failure
      throw error;
    }
    this.#announceChannels();
    for (const warning of idleWarnings(config)) boot.services.logger.warn(warning);
    this.#hint(config);
  }

  /** The daemon's status now, as `ctl status` and the console show it. */
  readonly #status = (): Promise<DaemonStatus> => {
    const boot = this.#boot;
    if (boot === undefined) return Promise.reject(new Error('the daemon is not started'));
    return daemonStatus(boot.services, this.#channels, cliVersion());
  };

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
   * config whose channels cannot start, is logged and the running config stays. Resolves to
   * whether the new config is in force, and why not (`ctl reload` says it).
   */
  reload(reason: string): Promise<ReloadOutcome> {
    const outcome = this.#reloading
      .then(() => this.#reload(reason))
      .catch((error: unknown): ReloadOutcome => {
        this.#boot?.services.logger.error(
          { reason, err: failureText(error) },
          'config reload failed; the running config stays',
        );
        return { applied: false, reason: failureText(error) };
      });
    this.#reloading = outcome.then(() => undefined);
    return outcome;
  }

  async #reload(reason: string): Promise<ReloadOutcome> {
    // A reload (SIGHUP) during start-up waits for the start, so the two never race.
    await this.#starting?.catch(() => undefined);
    const boot = this.#boot;
    if (boot === undefined || this.#stopRequested()) return STOPPING;
    const { logger } = boot.services;
    const { config, problems } = await loadProblems(this.#path, this.#io);
    if (this.#stopRequested()) return STOPPING;
    // apps.shell.contain "pidns" where no namespace can be made: as at start-up, not applied.
    const uncontained =
      config === undefined
        ? undefined
        : await boot.services.processes.containment(config.apps.shell.contain).then(
            () => undefined,
            (error: unknown) => failureText(error),
          );
    if (config === undefined || uncontained !== undefined) {
      const all = uncontained === undefined ? problems : [uncontained];
      logger.error({ reason, problems: all }, 'config reload failed; the running config stays');
      return { applied: false, reason: all.join('; ') };
    }
    const before = boot.runtime.config();
    const next = new Pipeline({ config, services: boot.services });
    if (startKey(before) === startKey(config)) boot.runtime.swap(next);
    else {
      const restarted = await this.#restartChannels(next, reason);
      if (!restarted.applied) return restarted;
    }
    // An edited maintenance.enabled is the owner's word; otherwise `.e maintenance` stands.
    if (before.maintenance.enabled !== config.maintenance.enabled) {
      await boot.services.store.setMaintenance(config.maintenance.enabled);
      logger.warn(`maintenance ${config.maintenance.enabled ? 'on' : 'off'} (config)`);
    }
    // Only a config in force gets the outbox: a failed reload leaves the mail settings alone.
    // What the daemon holds open from start to stop moves only at the next restart.
    const atRestart: [key: string, what: string, changed: boolean][] = [
      ['mail.outbox', 'directory', before.mail.outbox !== config.mail.outbox],
      ['state', 'state store', JSON.stringify(before.state) !== JSON.stringify(config.state)],
      ['control.socket', 'socket', before.control.socket !== config.control.socket],
    ];
    for (const [key, what, changed] of atRestart) {
      if (changed)
        logger.warn(`${key} changed: the daemon moves to the new ${what} at its next restart`);
    }
    if (JSON.stringify(before.mail) !== JSON.stringify(config.mail)) {
      boot.services.outbox.reconfigure(config.mail);
    }
    const { monitor } = boot.services;
    if (monitor !== undefined && config.monitor !== undefined) monitor.reconfigure(config.monitor);
    else if ((before.monitor === undefined) !== (config.monitor === undefined)) {
      logger.warn('monitor: turning it on or off takes effect at the next restart');
    }
    logger.info({ reason }, 'config reloaded');
    return { applied: true };
  }

  /**
   * Restarts the channels on `next`; applied once they run. A new listen address someone else
   * holds fails before anything closes. A channel that fails to start puts the old pipeline
   * back and restarts the old channels; if even those fail, the daemon stops as failed.
   */
  async #restartChannels(next: Pipeline, reason: string): Promise<ReloadOutcome> {
    const boot = this.#boot;
    if (boot === undefined) return STOPPING;
    const { logger } = boot.services;
    const signal = this.#abort.signal;
    try {
      await probeListens(next.config, this.#channels);
    } catch (error) {
      return this.#cannotApply(error, reason);
    }
    logger.info('listen settings changed: restarting the channels');
    await closeChannels(this.#channels);
    this.#channels = [];
    const previous = boot.runtime.swap(next);
    let failure: unknown;
    try {
      this.#channels = await startChannels(boot.runtime, signal, this.#status);
    } catch (error) {
      failure = error;
    }
    if (this.#stopRequested()) return STOPPING; // the stop closes what started
    if (failure === undefined) {
      this.#announceChannels();
      return { applied: true };
    }
    boot.runtime.swap(previous);
    try {
      this.#channels = await startChannels(boot.runtime, signal, this.#status);
    } catch (error) {
      if (this.#stopRequested()) return STOPPING;
      const outcome = this.#cannotApply(failure, reason);
      logger.error(
        { reason, key: keyOf(error) },
        `cannot restart the old channels: ${failureText(error)}`,
      );
      void this.#fail();
      return outcome;
    }
    if (this.#stopRequested()) return STOPPING;
    this.#announceChannels();
    return this.#cannotApply(failure, reason);
  }

  /**
   * Whether stop() was called: a start or reload checks it after every step. (A method, not
   * `signal.aborted`, which the compiler would take as constant across the awaits.)
   */
  #stopRequested(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Logs why a reload was not applied: `cannot apply the new config: <key>: <reason>`. */
  #cannotApply(error: unknown, reason: string): ReloadOutcome {
    this.#boot?.services.logger.error(
      { reason, key: keyOf(error) },
      `cannot apply the new config: ${failureText(error)}`,
    );
    return { applied: false, reason: failureText(error) };
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
    await this.#control?.close();
    if (boot !== undefined) {
      const { logger } = boot.services;
      logger.info({ inFlight: boot.runtime.inFlight }, 'stopping');
      // First the monitor, so no new alert starts while the channels close.
      await boot.services.monitor?.stop();
      const closing = closeChannels(this.#channels);
      if (!(await boot.runtime.drain(STOP_GRACE_MS))) logger.warn('commands still running at stop');
      await closing;
      await boot.services.processes.close();
      await boot.services.outbox.stop();
      await boot.services.store.close();
      logger.info('stopped');
    }
    this.#markStopped();
  }

  /** Sends a monitor alert through the running Telegram channel; logs when there is none. */
  async #pushTelegram(chatId: number, text: string): Promise<void> {
    const telegram = this.#channels.find((c) => c.name === 'telegram')?.handle;
    if (telegram?.sendText === undefined) {
      this.#boot?.services.logger.warn(
        { chat: chatId },
        'monitor: the telegram channel is not running; alert not sent there',
      );
      return;
    }
    // Counted as in flight, so a stop lets it finish with the command replies (one grace period).
    await this.#boot?.runtime.track(telegram.sendText(chatId, text));
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
    const passwords = effectiveFilters(config, 'http').pinAndShortcuts.passwords.map(passwordOf);
    if (!passwords.includes(EXAMPLE_PASSWORD)) return;
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
