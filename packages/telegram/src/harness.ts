/**
 * Test rigs (not exported from the package): a real runtime over a telegram config pointed at a
 * FakeBotApi, with captured log lines, and the channel started with short retry timings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APPS,
  createConfigLoader,
  createServices,
  Pipeline,
  PipelineRuntime,
  type ChannelHandle,
} from '@switchboard/core';
import { startWithTuning, type ChannelTuning, type TelegramChannelOptions } from './channel.js';
import { FakeBotApi } from './fake-bot-api.js';

/** The password every rig accepts. */
export const PASSWORD = 'telegram-test-pass';

/** Retries in milliseconds and one-second long polls, so fault tests take a fraction of a second. */
export const FAST: ChannelTuning = { backoff: { initialMs: 20, maxMs: 100 }, pollTimeoutSec: 1 };

/** A runtime over `telegram` settings (merged over token and apiRoot), logging into `logs`. */
export function buildRuntime(
  api: FakeBotApi,
  telegram: Readonly<Record<string, unknown>> = {},
): { runtime: PipelineRuntime; logs: string[] } {
  const raw = {
    filters: { pinAndShortcuts: { passwords: [PASSWORD] }, lintText: { maxLength: 0 } },
    apps: { shell: { unrestricted: true } },
    mail: { outbox: join(mkdtempSync(join(tmpdir(), 'sb-telegram-')), 'outbox') },
    http: { listen: '127.0.0.1:0' },
    telegram: { token: api.token, apiRoot: api.url, ...telegram },
  };
  const loaded = createConfigLoader(APPS).parse(JSON.stringify(raw), { env: {} });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const logs: string[] = [];
  const services = createServices(loaded.config, {
    logDestination: { write: (line: string) => logs.push(line) },
    logLevel: 'debug',
    baseDir: tmpdir(),
  });
  const pipeline = new Pipeline({ config: loaded.config, services });
  return { runtime: new PipelineRuntime(pipeline, services), logs };
}

/** A fake API, a runtime and a running channel. */
export interface Rig {
  readonly api: FakeBotApi;
  readonly runtime: PipelineRuntime;
  readonly handle: ChannelHandle;
  readonly logs: string[];
  /** Log records whose msg contains `text`. */
  logged(text: string): Record<string, unknown>[];
  /** Stops the channel, then the fake. */
  close(): Promise<void>;
}

/** Starts a fake API and the channel against it. */
export async function startRig(
  telegram: Readonly<Record<string, unknown>> = {},
  options: TelegramChannelOptions = {},
  prepare: (api: FakeBotApi) => void = () => undefined,
): Promise<Rig> {
  const api = await FakeBotApi.start();
  prepare(api);
  const { runtime, logs } = buildRuntime(api, telegram);
  const handle = await startWithTuning(runtime, options, FAST);
  return {
    api,
    runtime,
    handle,
    logs,
    logged: (text) => records(logs).filter((r) => String(r.msg).includes(text)),
    async close() {
      await handle.close();
      await api.close();
    },
  };
}

/** Parsed log lines. */
export function records(logs: readonly string[]): Record<string, unknown>[] {
  return logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

export { waitFor as until } from '@switchboard/core/testing';
