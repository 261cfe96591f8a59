/**
 * The shape of an update this bot acts on, checked before telegraf sees it: a webhook POST with
 * the right secret may still carry anything (a broken proxy, a test tool), and telegraf's filters
 * and our handler read `message.chat.id` and `message.text` without asking.
 */
import type { Update } from 'telegraf/types';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `update` is safe to hand to telegraf: a numeric update_id and, if it has a message, a
 * message with a numeric date, a chat with an integer id and a string type,
 * and text, when present, that is a string. Other update kinds pass: no handler reads them.
 */
export function isWellFormedUpdate(update: unknown): update is Update {
  if (!isRecord(update) || typeof update.update_id !== 'number') return false;
  if (!('message' in update)) return true;
  const { message } = update;
  if (!isRecord(message) || typeof message.date !== 'number') return false;
  if ('text' in message && typeof message.text !== 'string') return false;
  const { chat } = message;
  return isRecord(chat) && typeof chat.type === 'string' && Number.isSafeInteger(chat.id);
}
