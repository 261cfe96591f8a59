/**
 * Which chats the bot talks to, and the built-in /start and /help answer. A bot is public: anyone
 * who finds its name can message it, so the default is the narrowest that still works (private
 * chats, where only the owner sees the password), and an allowlist narrows it further.
 */

/** The parts of a Telegram chat the policy looks at. */
export interface ChatRef {
  readonly id: number;
  /** `private`, `group`, `supergroup` or `channel`. */
  readonly type: string;
}

/**
 * Whether the bot answers in `chat`: with an allowlist, exactly the listed chats (a group only
 * when listed); without one, every private chat and nothing else. Other chats get no answer at
 * all, so the bot does not even confirm that it exists.
 */
export function isChatAllowed(chat: ChatRef, allowedChatIds: readonly number[]): boolean {
  if (allowedChatIds.length > 0) return allowedChatIds.includes(chat.id);
  return chat.type === 'private';
}

/** The answer to /start and /help: no secrets, no list of apps (that needs the password). */
export const USAGE = [
  "This bot runs app commands on its owner's server (Switchboard).",
  '',
  'Send your password followed by an app command, for example:',
  '  mypassword.e info',
  '  mypassword.s uptime',
  '  mypassword.e stat',
  '',
  'Answers are plain text. A wrong password is answered as such; repeated wrong passwords ban this chat for a while.',
].join('\n');

const BOT_COMMAND = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(?:\s|$)/;

/**
 * Whether `text` is a bot command (`/name` or `/name@SomeBot`, as groups write them) addressed
 * to another bot: it is not ours to answer, nor to count as a failed login.
 */
export function isForAnotherBot(text: string, botUsername: string | undefined): boolean {
  const addressee = BOT_COMMAND.exec(text.trim())?.[2];
  if (addressee === undefined) return false;
  return botUsername === undefined || addressee.toLowerCase() !== botUsername.toLowerCase();
}

/** Whether `text` is /start or /help (call isForAnotherBot first for the addressee). */
export function isHelpCommand(text: string): boolean {
  const name = commandName(text);
  return name === 'start' || name === 'help';
}

/** Whether `text` is /stat, the monitor's figures (DESIGN §14). */
export function isStatCommand(text: string): boolean {
  return commandName(text) === 'stat';
}

function commandName(text: string): string | undefined {
  return BOT_COMMAND.exec(text.trim())?.[1]?.toLowerCase();
}
