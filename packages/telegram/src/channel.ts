/**
 * Starting and stopping the Telegram channel (DESIGN §4): check the config, ask getMe whether
 * the token works, then poll, or serve the webhook on the http channel. The token, apiRoot and
 * mode are read once here (changing them needs a restart); the allowlist, limits and timeout are
 * read per message.
 */
import {
  ConfigKeyError,
  type ChannelHandle,
  type Runtime,
  type Services,
  type TelegramConfig,
} from '@switchboard/core';
import { Telegraf } from './telegraf.js';
import type { UserFromGetMe } from 'telegraf/types';
import { CALL_TIMEOUT_MS, callApi, callSignal } from './api-call.js';
import { classifyFailure } from './api-failure.js';
import { DEFAULT_BACKOFF, type BackoffTuning } from './backoff.js';
import { FailureLog } from './failure-log.js';
import { installHandlers } from './message-handler.js';
import { pollUnderLease } from './poll-lease.js';
import { poll, retryUntilDone, type ApiLoopContext } from './polling.js';
import { sendReply, type ReplyContext } from './reply.js';
import { isWellFormedUpdate } from './update-shape.js';
import { createWebhookHandler, type WebhookHandler } from './webhook.js';

type Logger = Services['logger'];
type WebhookConfig = NonNullable<TelegramConfig['webhook']>;

/** What the daemon passes in. */
export interface TelegramChannelOptions {
  /** Registers `handler` at `path` on the http channel; required in webhook mode. */
  readonly mount?: (path: string, handler: WebhookHandler) => void;
  /** Aborts the start (the daemon is told to stop): the start-up calls give up and it throws. */
  readonly signal?: AbortSignal;
}

/** Timings tests shorten; production uses DEFAULT_TUNING. */
export interface ChannelTuning {
  readonly backoff: BackoffTuning;
  /** getUpdates `timeout`: how long the server may hold a poll open. */
  readonly pollTimeoutSec: number;
}

/** Production timings: 50 s long polls (telegraf's choice), 1 s..60 s backoff. */
export const DEFAULT_TUNING: ChannelTuning = { backoff: DEFAULT_BACKOFF, pollTimeoutSec: 50 };

/** Starts the Telegram channel: long polling, or the webhook when `telegram.webhook` is set. */
export async function startTelegramChannel(
  runtime: Runtime,
  options: TelegramChannelOptions = {},
): Promise<ChannelHandle> {
  return startWithTuning(runtime, options, DEFAULT_TUNING);
}

/** startTelegramChannel with explicit timings (tests). */
export async function startWithTuning(
  runtime: Runtime,
  options: TelegramChannelOptions,
  tuning: ChannelTuning,
): Promise<ChannelHandle> {
  const config = runtime.config().telegram;
  if (config === undefined) throw new Error('telegram: the config has no telegram block');
  const { webhook } = config;
  // The schema already requires both; this guards callers that build a config by hand, because
  // a webhook without a secret would run whatever anyone POSTs to it.
  if (webhook !== undefined && webhook.secretToken === '') {
    throw new ConfigKeyError('telegram.webhook.secretToken', 'is required in webhook mode');
  }
  if (webhook !== undefined && options.mount === undefined) {
    throw new Error(
      `telegram: webhook mode needs the http channel to serve ${webhook.path}, but no mount function was given`,
    );
  }
  const startedAtSec = Math.floor(Date.now() / 1000);
  const logger = runtime.services.logger.child({ channel: 'telegram' });
  // Everything scrubbed from logged errors; a self-hosted apiRoot may carry a password.
  const secrets = [config.token, webhook?.secretToken ?? '', new URL(config.apiRoot).password];
  const apiRoot = config.apiRoot.endsWith('/') ? config.apiRoot : `${config.apiRoot}/`;
  const shownRoot = withoutCredentials(config.apiRoot);
  const bot = new Telegraf(config.token, {
    // A path in apiRoot survives only with a trailing slash (telegraf resolves `./bot<token>/`
    // against it). webhookReply would answer through the webhook response, which we already ended.
    telegram: { apiRoot, webhookReply: false },
    // Commands have their own timeout; telegraf's 90 s default would report a slow reply as an error.
    handlerTimeout: Infinity,
  });

  const stop = new AbortController();
  const onUpdate = (update: unknown): void => {
    if (!isWellFormedUpdate(update)) {
      logger.debug('telegram update of an unknown shape dropped');
      return;
    }
    // The runtime's drain waits for the command and its reply (one grace period, DESIGN §10).
    void runtime.track(
      bot.handleUpdate(update).catch((thrown: unknown) => {
        // bot.catch handles the middleware's errors; this is for telegraf's own (none expected).
        logger.error({ error: classifyFailure(thrown, secrets).text }, 'telegram update failed');
      }),
    );
  };
  const reply: ReplyContext = {
    telegram: bot.telegram,
    logger,
    secrets,
    backoff: tuning.backoff,
    signal: runtime.abandoned,
  };
  installHandlers(bot, {
    runtime,
    startedAtSec,
    botUsername: () => bot.botInfo?.username,
    reply,
  });

  bot.botInfo = await checkToken(bot, shownRoot, secrets, logger, options.signal);
  // Likewise a webhook URL Telegram refuses (not https, bad port) fails the start, if we can ask.
  const webhookSet =
    webhook?.url !== undefined && bot.botInfo !== undefined && options.signal?.aborted !== true
      ? await setWebhookAtStart(bot, webhook, secrets, logger, options.signal)
      : false;
  // Told to stop while asking: nothing runs yet, so there is nothing to close.
  options.signal?.throwIfAborted();
  const loop: ApiLoopContext = {
    telegram: bot.telegram,
    failures: new FailureLog(logger),
    backoff: tuning.backoff,
    secrets,
    signal: stop.signal,
  };
  const ensureBotInfo = async (): Promise<boolean> => {
    bot.botInfo ??= await retryUntilDone(loop, 'getMe', (signal) =>
      callApi(bot.telegram, 'getMe', {}, signal),
    );
    return bot.botInfo !== undefined;
  };

  let background: Promise<void>;
  let mode: string;
  if (webhook === undefined) {
    mode = `polling ${shownRoot}`;
    background = (async () => {
      if (!(await ensureBotInfo())) return;
      await pollUnderLease({
        store: runtime.services.store,
        logger,
        token: config.token,
        signal: stop.signal,
        poll: async (signal) => {
          const leased = { ...loop, signal };
          // getUpdates fails with 409 while a webhook is set; polling mode means we want updates here.
          await retryUntilDone(leased, 'deleteWebhook', (callSignal) =>
            callApi(bot.telegram, 'deleteWebhook', {}, callSignal),
          );
          await poll(leased, tuning.pollTimeoutSec, onUpdate);
        },
      });
    })();
  } else {
    mode = `webhook ${webhook.path}`;
    let closed = false;
    stop.signal.addEventListener('abort', () => (closed = true), { once: true });
    options.mount?.(
      webhook.path,
      createWebhookHandler({
        secretToken: webhook.secretToken,
        refusals: runtime.services.refusals,
        ready: () => !closed && bot.botInfo !== undefined,
        onUpdate,
      }),
    );
    background = (async () => {
      if (!(await ensureBotInfo())) return;
      if (webhook.url !== undefined) {
        if (webhookSet) return;
        const set = await retryUntilDone(loop, 'setWebhook', (signal) =>
          setWebhook(bot, webhook, signal),
        );
        if (set === true) logger.info({ url: webhook.url }, 'telegram webhook registered');
      } else {
        await warnIfNoWebhook(loop, webhook, logger);
      }
    })();
  }

  return {
    get address() {
      return `${mode} as @${bot.botInfo?.username ?? '(not verified yet)'}`;
    },
    sendText: (chatId, text) => sendReply(reply, chatId, text),
    async close() {
      if (stop.signal.aborted) return;
      stop.abort();
      await background;
      // Updates being handled finish on their own: the daemon's stop drains them.
      logger.info('telegram channel stopped');
    },
  };
}

/**
 * getMe at start-up: a rejected token is a start-up error, because nothing will ever work;
 * an unreachable API is not, because networks come back (the background task retries).
 */
async function checkToken(
  bot: Telegraf,
  shownRoot: string,
  secrets: readonly string[],
  logger: Logger,
  stop: AbortSignal | undefined,
): Promise<UserFromGetMe | undefined> {
  try {
    return await callApi(bot.telegram, 'getMe', {}, startSignal(stop));
  } catch (thrown) {
    const failure = classifyFailure(thrown, secrets);
    if (failure.kind === 'tokenRejected') {
      throw new ConfigKeyError(
        'telegram.token',
        `the Bot API at ${shownRoot} rejected the token (getMe answered ${failure.text}); ` +
          'copy the token again from @BotFather (/mybots, API Token), or check telegram.apiRoot',
      );
    }
    if (failure.kind === 'refused') {
      throw new Error(`telegram: the Bot API at ${shownRoot} refused getMe (${failure.text})`);
    }
    // The daemon's stop, not the network: the caller throws, no warning needed.
    if (stop?.aborted === true) return undefined;
    logger.warn(
      { error: failure.text },
      'telegram Bot API unreachable at start-up; retrying in the background',
    );
    return undefined;
  }
}

/** A start-up call's signal: its time budget, or the daemon's stop, whichever comes first. */
function startSignal(stop: AbortSignal | undefined): AbortSignal {
  return stop === undefined ? AbortSignal.timeout(CALL_TIMEOUT_MS) : callSignal(stop);
}

/** setWebhook with our secret; only messages, as in polling mode. */
function setWebhook(bot: Telegraf, webhook: WebhookConfig, signal: AbortSignal): Promise<true> {
  return callApi(
    bot.telegram,
    'setWebhook',
    { url: webhook.url ?? '', secret_token: webhook.secretToken, allowed_updates: ['message'] },
    signal,
  );
}

/** One setWebhook at start: true when set, an Error when refused, false to retry later. */
async function setWebhookAtStart(
  bot: Telegraf,
  webhook: WebhookConfig,
  secrets: readonly string[],
  logger: Logger,
  stop: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await setWebhook(bot, webhook, startSignal(stop));
    logger.info({ url: webhook.url }, 'telegram webhook registered');
    return true;
  } catch (thrown) {
    const failure = classifyFailure(thrown, secrets);
    if (failure.kind === 'refused') {
      throw new ConfigKeyError(
        'telegram.webhook.url',
        `Telegram refused it (setWebhook answered ${failure.text})`,
      );
    }
    return false;
  }
}

/** Without `webhook.url` the owner registers the webhook; say so when nobody has. */
async function warnIfNoWebhook(
  loop: ApiLoopContext,
  webhook: WebhookConfig,
  logger: Logger,
): Promise<void> {
  const info = await retryUntilDone(loop, 'getWebhookInfo', (signal) =>
    callApi(loop.telegram, 'getWebhookInfo', {}, signal),
  );
  if (info !== undefined && info.url === '') {
    logger.warn(
      { path: webhook.path },
      'no webhook is registered for this bot, so Telegram delivers nothing: set telegram.webhook.url or call setWebhook (docs/telegram.md)',
    );
  }
}

/** apiRoot for logs and errors: a self-hosted server's URL may carry a user and password. */
function withoutCredentials(apiRoot: string): string {
  const url = new URL(apiRoot);
  if (url.username === '' && url.password === '') return apiRoot;
  url.username = '';
  url.password = '';
  return url.href.replace(/\/$/, '');
}
