/** @switchboard/telegram: the Telegram channel, by long polling or webhook. */
export { startTelegramChannel, type TelegramChannelOptions } from './channel.js';
export type { WebhookHandler } from './webhook.js';
export { splitMessage, MAX_MESSAGE_LENGTH } from './split-message.js';
