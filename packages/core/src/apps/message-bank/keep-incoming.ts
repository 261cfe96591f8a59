/**
 * Messages that are not commands, kept in the bank as they arrive when the owner asks for it
 * (`apps.messageBank.keepIncoming`): a text to the Twilio number from someone without the
 * password is a message for the owner, not only a failed login. The channel decides what is
 * not a command; it still counts as a failed login, so the ban bounds what one sender can
 * leave, and the bank's own caps bound the rest.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/types.js';
import { bankOf, nowIso, type IncomingKind } from '../message-bank.js';

/** A message as it arrived, before any cut. */
export interface IncomingMessage {
  readonly kind: IncomingKind;
  readonly channel: string;
  readonly source: string;
  readonly text: string;
}

/**
 * Keeps `message` when the bank is on and `keepIncoming` names its kind, cut to
 * `maxMessageBytes` at a character boundary; returns its number, or undefined when it was not
 * kept. Never throws: a bank that cannot be written is logged (without the text) and the
 * channel answers as it would anyway.
 */
export async function keepIncoming(
  config: Config,
  logger: Pick<Logger, 'info' | 'warn'>,
  message: IncomingMessage,
): Promise<number | undefined> {
  const settings = config.apps.messageBank;
  if (!settings.enabled || !settings.keepIncoming.includes(message.kind)) return undefined;
  const text = cutToBytes(message.text.trim(), settings.maxMessageBytes);
  if (text === '') return undefined;
  const { channel, source } = message;
  try {
    const { number } = await bankOf(settings).post({ time: nowIso(), channel, source, text });
    logger.info({ channel, source, number }, `${message.kind} kept in the message bank`);
    return number;
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    logger.warn({ channel, source, reason }, `${message.kind} not kept in the message bank`);
    return undefined;
  }
}

/** The longest prefix of `text` of at most `max` UTF-8 bytes that does not split a character. */
function cutToBytes(text: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}
