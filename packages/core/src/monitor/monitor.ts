/**
 * The server monitor (DESIGN §14): samples every `intervalSec` into a bounded ring, watches the
 * thresholds with hysteresis, and pushes each alert and recovery once to the Telegram chats and
 * the mail addresses of `monitor.notify`. It answers `.e stat` and `.e chart` from the same ring.
 *
 * Order of an event: the mail is queued (durable: the outbox keeps it while the relay is down),
 * the alert state is saved, then the Telegram messages go out. A crash before the save sends it
 * again after the restart; one after it never does.
 */
import os from 'node:os';
import type { Logger } from 'pino';
import { ConfigKeyError } from '../config/config-key-error.js';
import type { MonitorConfig } from '../config/types.js';
import type { MailQueue } from '../mail/outgoing-mail.js';
import type { AlertStore } from './alert-store.js';
import {
  chartData,
  chartDataSvg,
  chartSummary,
  type ChartData,
  type ChartWindow,
} from './chart.js';
import { ChartRenderer } from './chart-renderer.js';
import { SampleRing, type Metric } from './ring.js';
import type { Sample, Sampler } from './sample.js';
import { eventSubject, eventText, statText, TOP_PROCESSES } from './texts.js';
import { Hysteresis, readings, type ThresholdEvent } from './thresholds.js';

/**
 * Sends a text to a Telegram chat; never rejects, resolves whether or not it was delivered (it
 * logs). The monitor does not wait for it: the daemon's stop drains it with the replies.
 */
export type TelegramPush = (chatId: number, text: string) => Promise<void>;

/** What a monitor is built from. */
export interface MonitorOptions {
  readonly settings: MonitorConfig;
  readonly sampler: Sampler;
  readonly store: AlertStore;
  readonly mail: MailQueue;
  readonly telegram: TelegramPush;
  readonly logger: Logger;
}

/** A chart ready to send: the picture and the line that goes with it. */
export interface RenderedChart {
  readonly data: ChartData;
  readonly summary: string;
  readonly png: Buffer;
}

/** One monitor per daemon; start() it, stop() it. */
export class Monitor {
  #settings: MonitorConfig;
  readonly #sampler: Sampler;
  readonly #store: AlertStore;
  readonly #mail: MailQueue;
  readonly #telegram: TelegramPush;
  readonly #logger: Logger;
  readonly #ring: SampleRing;
  readonly #renderer = new ChartRenderer();
  readonly #host = os.hostname();
  #hysteresis = new Hysteresis();
  #timer?: NodeJS.Timeout;
  /** The tick in progress; stop() waits for it. */
  #busy: Promise<void> = Promise.resolve();
  readonly #stop = new AbortController();

  constructor(options: MonitorOptions) {
    this.#settings = options.settings;
    this.#sampler = options.sampler;
    this.#store = options.store;
    this.#mail = options.mail;
    this.#telegram = options.telegram;
    this.#logger = options.logger.child({ part: 'monitor' });
    this.#ring = SampleRing.forHistory(options.settings.historyHours, options.settings.intervalSec);
  }

  /**
   * Loads the saved alerts and writes them back (so a state folder we cannot write fails the
   * start, not the first alert), takes a first sample (the CPU and network rates need a
   * previous reading), then samples every intervalSec. Throws a ConfigKeyError naming `monitor`.
   */
  async start(): Promise<void> {
    try {
      const saved = await this.#store.load();
      await this.#store.save(saved);
      this.#hysteresis = new Hysteresis(saved);
    } catch (err) {
      throw ConfigKeyError.from(
        'monitor',
        err,
        `cannot keep the alert state in ${this.#store.path}`,
      );
    }
    this.#ring.push(await this.#sampler.sample());
    this.#timer = setInterval(() => {
      this.#busy = this.#busy.then(() => this.#tick());
    }, this.#settings.intervalSec * 1000);
    const alerting = Object.keys(this.#hysteresis.alerting());
    this.#logger.info(
      { intervalSec: this.#settings.intervalSec, samples: this.#ring.capacity, alerting },
      'monitor: started',
    );
  }

  /** Stops sampling; waits for the sample being taken (Telegram sends are the pusher's). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stop.abort();
    await this.#busy;
  }

  /** New thresholds and recipients apply at the next sample; the interval and ring need a restart. */
  reconfigure(settings: MonitorConfig): void {
    const before = this.#settings;
    this.#settings = settings;
    if (
      before.intervalSec !== settings.intervalSec ||
      before.historyHours !== settings.historyHours
    ) {
      this.#logger.warn('monitor.intervalSec and monitor.historyHours change at the next restart');
    }
  }

  /** `.e stat`: the newest sample (a fresh one before the first tick) and what is crossed. */
  async stat(): Promise<string> {
    const sample = this.#ring.latest ?? (await this.#sampler.sample());
    return statText(sample, this.#settings.thresholds, this.#hysteresis.alerting());
  }

  /** The series of `metric` over `window`, for the console to draw. */
  chartData(metric: Metric, window: ChartWindow): ChartData {
    return chartData(this.#ring, metric, window, this.#settings.thresholds, Date.now());
  }

  /** The chart of `metric` over `window` as SVG (the PNG's source), for the console. */
  chartSvg(metric: Metric, window: ChartWindow): string {
    return chartDataSvg(this.chartData(metric, window), this.#host);
  }

  /** The min/avg/max line of `metric` over `window`, for text-only channels. */
  chartSummary(metric: Metric, window: ChartWindow): string {
    return chartSummary(this.chartData(metric, window));
  }

  /** `.e chart`: the series as a PNG, and its one-line summary. */
  async chart(metric: Metric, window: ChartWindow): Promise<RenderedChart> {
    const data = this.chartData(metric, window);
    const png = await this.#renderer.png(chartDataSvg(data, this.#host));
    return { data, summary: chartSummary(data), png };
  }

  /** One sample: into the ring, through the thresholds, and out as notices. Never throws. */
  async #tick(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    let sample: Sample;
    try {
      sample = await this.#sampler.sample();
    } catch (err) {
      this.#logger.warn({ err: String(err) }, 'monitor: cannot read the system figures');
      return;
    }
    this.#ring.push(sample);
    this.#logger.debug({ samples: this.#ring.size }, 'monitor: sample');
    const events = this.#hysteresis.observe(readings(sample, this.#settings.thresholds), sample.at);
    if (events.length === 0) return;
    try {
      await this.#announce(events);
    } catch (err) {
      this.#logger.error({ err: String(err) }, 'monitor: cannot send or save an alert');
    }
  }

  async #announce(events: readonly ThresholdEvent[]): Promise<void> {
    const { telegramChatIds, mail } = this.#settings.notify;
    const needsTop = events.some((e) => e.kind === 'alert' && !e.reading.key.startsWith('disk '));
    const processes = needsTop
      ? await this.#sampler.topProcesses(TOP_PROCESSES, this.#stop.signal).catch(() => [])
      : [];
    const notices = events.map((event) => ({
      event,
      subject: eventSubject(event, this.#host),
      text: eventText(event, this.#host, processes),
    }));
    for (const { event, subject, text } of notices) {
      this.#logger.warn(
        { key: event.reading.key, value: event.reading.value, threshold: event.reading.threshold },
        event.kind === 'alert' ? 'monitor: alert' : 'monitor: recovered',
      );
      if (mail.length > 0) await this.#mail.enqueue({ to: mail, subject, text });
    }
    await this.#store.save(this.#hysteresis.alerting());
    for (const { text } of notices) {
      for (const chatId of telegramChatIds) void this.#telegram(chatId, text);
    }
  }
}
