/**
 * The loop guard. Everything this channel sends (replies, forwards) carries `X-Switchboard-Loop`
 * with this installation's token; a mail that comes back carrying our token is dropped, so a
 * forward whose destination routes back here (or auto-forwards) cannot circle for ever.
 * RFC 5321 §6.3 also suggests counting Received headers; that catches loops elsewhere.
 */
import type { Config } from '@switchboard/core';

/** The header on every mail the channel sends. */
export const LOOP_HEADER = 'X-Switchboard-Loop';

/** RFC 5321 §6.3: a loop threshold should be large; 100 is its own example. */
export const MAX_RECEIVED_HOPS = 100;

/** This installation's token: our sender address, so another Switchboard's mail is not ours. */
export function loopToken(config: Config): string {
  return config.mail.from.trim().toLowerCase();
}

/** Why a mail must not be handled, or undefined when it is no loop. */
export function loopReason(
  tokens: readonly string[],
  receivedHops: number,
  ourToken: string,
): string | undefined {
  if (tokens.some((t) => t.trim().toLowerCase() === ourToken)) return 'carries our loop header';
  if (receivedHops > MAX_RECEIVED_HOPS) return `more than ${MAX_RECEIVED_HOPS} Received headers`;
  return undefined;
}
