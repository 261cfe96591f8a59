/**
 * The channel's one reply function (STYLE 8): plain text, split into Telegram-sized messages,
 * capped, sent in order with retries, and logged without the text (it may be command output).
 */
import type { Services } from '@switchboard/core';
import type { Telegram } from 'telegraf';
import { callApi, callSignal } from './api-call.js';
import { classifyFailure } from './api-failure.js';
import { Backoff, sleep, type BackoffTuning } from './backoff.js';
import { splitMessage } from './split-message.js';

type Logger = Services['logger'];

/**
 * Most messages one reply may take. lintText's maxLength (35..4096 on a sane config) keeps real
 * replies to one or two; this only bounds a config without a limit, since Telegram allows about
 * one message per second per chat and a flood would be throttled for minutes.
 */
export const MAX_MESSAGES_PER_REPLY = 10;

/** Attempts per message before the rest of the reply is given up. */
const ATTEMPTS = 4;

/** Longest 429 `retry_after` we wait out; beyond it the reply is dropped and logged. */
const MAX_RETRY_AFTER_MS = 60_000;

/** What sending needs; one per channel. */
export interface ReplyContext {
  readonly telegram: Telegram;
  readonly logger: Logger;
  /** Scrubbed from every logged error. */
  readonly secrets: readonly string[];
  readonly backoff: BackoffTuning;
  /** Aborted when the channel gives up on in-flight replies at shutdown. */
  readonly signal: AbortSignal;
}

/** Sends `text` to `chatId` as one or more plain-text messages; never throws. */
export async function sendReply(ctx: ReplyContext, chatId: number, text: string): Promise<void> {
  // Telegram refuses blank messages ("message text is empty"), and it trims what it shows.
  let chunks = splitMessage(text).filter((chunk) => /\S/.test(chunk));
  if (chunks.length > MAX_MESSAGES_PER_REPLY) {
    const kept = chunks.slice(0, MAX_MESSAGES_PER_REPLY - 1);
    const cut = chunks.length - kept.length;
    ctx.logger.warn({ chat: chatId, messages: chunks.length }, 'telegram reply cut');
    chunks = [...kept, `[output cut: ${cut} more messages not sent]`];
  }
  for (const [index, chunk] of chunks.entries()) {
    if (!(await sendOne(ctx, chatId, chunk))) {
      ctx.logger.warn(
        { chat: chatId, sent: index, messages: chunks.length },
        'telegram reply not delivered',
      );
      return;
    }
  }
  ctx.logger.debug({ chat: chatId, messages: chunks.length }, 'telegram reply sent');
}

/** One sendMessage with retries for transient failures; false when it was not delivered. */
function sendOne(ctx: ReplyContext, chatId: number, text: string): Promise<boolean> {
  return withRetries(ctx, chatId, 'sendMessage', (signal) =>
    callApi(
      ctx.telegram,
      'sendMessage',
      // No parse_mode: output is arbitrary text and must not be read as markup. No link
      // previews: a URL in the output should not make Telegram fetch it.
      { chat_id: chatId, text, link_preview_options: { is_disabled: true } },
      signal,
    ),
  );
}

/** The longest photo caption Telegram takes (Bot API sendPhoto). */
const MAX_CAPTION = 1024;

/**
 * Sends a picture (a chart) with `caption` as one sendPhoto, a multipart upload; a caption too
 * long for one follows as text. Never throws; logs when it was not delivered.
 */
export async function sendPhoto(
  ctx: ReplyContext,
  chatId: number,
  photo: { readonly filename: string; readonly content: Buffer },
  caption: string,
): Promise<void> {
  // Telegram counts UTF-16 code units, as String#length does.
  const fits = caption.length <= MAX_CAPTION;
  const sent = await withRetries(ctx, chatId, 'sendPhoto', (signal) =>
    callApi(
      ctx.telegram,
      'sendPhoto',
      {
        chat_id: chatId,
        // telegraf uploads an InputFile with `source` as multipart/form-data.
        photo: { source: photo.content, filename: photo.filename },
        ...(fits ? { caption } : {}),
      },
      signal,
    ),
  );
  if (!sent) ctx.logger.warn({ chat: chatId }, 'telegram photo not delivered');
  else if (!fits) await sendReply(ctx, chatId, caption);
}

/** One Bot API call with retries for transient failures; false when it did not succeed. */
async function withRetries(
  ctx: ReplyContext,
  chatId: number,
  method: string,
  call: (signal: AbortSignal) => Promise<unknown>,
): Promise<boolean> {
  const backoff = new Backoff(ctx.backoff);
  for (let attempt = 1; ; attempt++) {
    try {
      await call(callSignal(ctx.signal));
      return true;
    } catch (thrown) {
      const failure = classifyFailure(thrown, ctx.secrets, ctx.signal);
      if (failure.kind === 'aborted') return false;
      const retryAfterMs = (failure.retryAfterSec ?? 0) * 1000;
      if (
        failure.kind !== 'transient' ||
        attempt >= ATTEMPTS ||
        retryAfterMs > MAX_RETRY_AFTER_MS
      ) {
        // 403 (the user blocked the bot), 400 (chat gone), or retries used up.
        ctx.logger.warn(
          { chat: chatId, attempt, error: failure.text },
          `telegram ${method} failed`,
        );
        return false;
      }
      await sleep(backoff.next(retryAfterMs), ctx.signal);
      if (ctx.signal.aborted) return false;
    }
  }
}
