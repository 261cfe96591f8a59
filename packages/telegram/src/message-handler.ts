/**
 * What the bot does with one text message, whichever way it arrived (polling or webhook):
 * skip it if it predates start-up or comes from a chat we do not serve, answer /start and
 * /help, and run everything else through the telegram channel's pipeline.
 */
import type { Runtime } from '@switchboard/core';
import type { Telegraf } from 'telegraf';
import { message } from './telegraf.js';
import { scrub } from './api-failure.js';
import {
  isChatAllowed,
  isForAnotherBot,
  isHelpCommand,
  isStatCommand,
  USAGE,
  type ChatRef,
} from './chat-policy.js';
import { sendPhoto, sendReply, type ReplyContext } from './reply.js';

/** A text message as the handler needs it, narrowed from telegraf's update types. */
export interface IncomingText {
  readonly chat: ChatRef;
  /** Unix seconds, as Telegram dates messages. */
  readonly date: number;
  readonly text: string;
}

/** What the handler needs besides the message. */
export interface HandlerContext {
  readonly runtime: Runtime;
  readonly reply: ReplyContext;
  /** Unix seconds when the channel started; older messages are skipped. */
  readonly startedAtSec: number;
  /** Without the @, once getMe has answered. */
  readonly botUsername: () => string | undefined;
}

/** Bucket for /start, /help and /stat in the state store: they skip the pipeline, not the limit. */
const HELP_BUCKET = 'telegram:help';

/** Handles one text message; never throws. */
export async function handleText(ctx: HandlerContext, incoming: IncomingText): Promise<void> {
  const { runtime } = ctx;
  const { logger } = ctx.reply;
  // Read per message: a config reload may change the allowlist, limits and timeout.
  const config = runtime.config().telegram;
  if (config === undefined) return;
  const { chat } = incoming;
  if (incoming.date < ctx.startedAtSec) {
    // laitos' rule: whatever was sent while the daemon was down is not run now.
    logger.debug({ chat: chat.id }, 'telegram message from before start-up skipped');
    return;
  }
  if (!isChatAllowed(chat, config.allowedChatIds)) {
    logger.info({ chat: chat.id, chatType: chat.type }, 'telegram message from a chat not served');
    return;
  }
  if (isForAnotherBot(incoming.text, ctx.botUsername())) {
    logger.debug({ chat: chat.id }, 'telegram command for another bot ignored');
    return;
  }
  const source = String(chat.id);
  if (isHelpCommand(incoming.text) || isStatCommand(incoming.text)) {
    const refusal = await runtime.admit({
      channel: 'telegram',
      source,
      bucket: HELP_BUCKET,
      rateLimit: config.rateLimit,
    });
    // In lockdown /start and /help are answered as everything is; a banned or limited chat
    // gets nothing, as the pipeline's refusals are not worth a usage text.
    if (refusal === undefined) await sendReply(ctx.reply, chat.id, await helpOrStat(ctx, incoming));
    else if (refusal.replyClass === 'unavailable') {
      await sendReply(ctx.reply, chat.id, refusal.message);
    }
    return;
  }
  // The pipeline does the per-chat limit and bans for this source, and answers its refusals
  // (`rate limited`, `banned`, a wrong password) as text in combinedOutput.
  const result = await runtime.process({
    channel: 'telegram',
    source,
    content: incoming.text,
    timeoutSec: config.timeoutSec,
  });
  const picture = result.attachment;
  if (picture?.contentType.startsWith('image/') === true) {
    await sendPhoto(ctx.reply, chat.id, picture, result.combinedOutput);
  } else {
    await sendReply(ctx.reply, chat.id, result.combinedOutput);
  }
}

/**
 * The answer to /start, /help or /stat. /stat shows the monitor's figures to the monitor's own
 * chats (`monitor.notify.telegramChatIds`), who get its alerts anyway; anyone else gets the
 * help, which says how to ask with a password (`.e stat`).
 */
async function helpOrStat(ctx: HandlerContext, incoming: IncomingText): Promise<string> {
  const monitor = ctx.runtime.services.monitor;
  const chats = ctx.runtime.config().monitor?.notify.telegramChatIds ?? [];
  if (!isStatCommand(incoming.text) || monitor === undefined || !chats.includes(incoming.chat.id)) {
    return USAGE;
  }
  return monitor.stat();
}

/** Registers the text handler on `bot`, and an error handler that logs without secrets. */
export function installHandlers(bot: Telegraf, ctx: HandlerContext): void {
  // message('text') is telegraf's type guard: inside, ctx.message is a text message.
  bot.on(message('text'), async (tgCtx) => {
    const { chat, date, text } = tgCtx.message;
    await handleText(ctx, { chat: { id: chat.id, type: chat.type }, date, text });
  });
  // Telegraf's default handler sets process.exitCode and rethrows; one bad update must not do that.
  bot.catch((thrown) => {
    const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    ctx.runtime.services.logger.error(
      { error: scrub(text, ctx.reply.secrets) },
      'telegram update failed',
    );
  });
}
