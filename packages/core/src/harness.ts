/**
 * Builders for tests (not exported from the package): a config from a partial object, and a
 * pipeline with fresh services whose log lines and queued mail are captured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, AppContext } from './apps/app.js';
import { APPS } from './apps/registry.js';
import type { ChannelName, Result } from './command.js';
import { applyDefaults, deepFreeze } from './config/defaults.js';
import type { Config } from './config/types.js';
import { createServices } from './create-services.js';
import { MemoryStateStore } from './guard/memory-store.js';
import type { OutgoingMail } from './mail/outgoing-mail.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { Services } from './services.js';

/** A frozen config: defaults under `raw` (which is not schema-checked here). */
export function testConfig(raw: Readonly<Record<string, unknown>>): Config {
  return deepFreeze(applyDefaults(structuredClone(raw), APPS));
}

/**
 * What the pipeline hands an app that uses nothing of the services, for a command over http;
 * `signal` fires at the command's timeout (30 s unless given).
 */
export function appContext(config: Config, signal = AbortSignal.timeout(30_000)): AppContext {
  return {
    signal,
    timeoutSec: 30,
    command: { channel: 'http', source: 'test', content: '', timeoutSec: 30 },
    config,
    services: {} as AppContext['services'],
  };
}

/** A pipeline and what it did. */
export interface TestRig {
  readonly pipeline: Pipeline;
  readonly services: Services;
  readonly store: MemoryStateStore;
  /** Every log line, raw JSON. */
  readonly logs: string[];
  readonly mails: OutgoingMail[];
  readonly stopRequests: number[];
  /** Runs `content` on a channel (default http) from a source (default 192.0.2.1). */
  run(
    content: string,
    options?: { channel?: ChannelName; source?: string; timeoutSec?: number },
  ): Promise<Result>;
}

/** Builds a pipeline over `raw` config with fresh, capturing services. */
export function testRig(
  raw: Readonly<Record<string, unknown>>,
  options: { now?: () => number; apps?: readonly App[] } = {},
): TestRig {
  const config = testConfig({
    ...raw,
    mail: {
      outbox: join(mkdtempSync(join(tmpdir(), 'sb-outbox-')), 'outbox'),
      ...(raw.mail ?? {}),
    },
  });
  const logs: string[] = [];
  const mails: OutgoingMail[] = [];
  const stopRequests: number[] = [];
  const store = new MemoryStateStore(options.now === undefined ? {} : { now: options.now });
  const owned = createServices(config, {
    logDestination: { write: (line: string) => logs.push(line) },
    logLevel: 'debug',
    store,
    requestStop: () => stopRequests.push(Date.now()),
  });
  const services: Services = {
    ...owned,
    mail: {
      enqueue: (mail) => {
        mails.push(mail);
        return Promise.resolve(`test-${mails.length}`);
      },
      pending: () => owned.outbox.pending(),
      failed: () => owned.outbox.failed(),
    },
  };
  const pipeline = new Pipeline({
    config,
    services,
    ...(options.apps === undefined ? {} : { apps: options.apps }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    pipeline,
    services,
    store,
    logs,
    mails,
    stopRequests,
    run: (content, o = {}) =>
      pipeline.process({
        channel: o.channel ?? 'http',
        source: o.source ?? '192.0.2.1',
        content,
        timeoutSec: o.timeoutSec ?? 5,
      }),
  };
}
