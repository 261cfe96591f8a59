/**
 * Refusals handed to smtp-server callbacks. smtp-server writes `responseCode` and the message
 * as the reply line; it adds no enhanced status code by default (hideENHANCEDSTATUSCODES), so
 * each text starts with its RFC 3463 code itself.
 */
import type { SMTPServerError } from 'smtp-server';

/** An error whose reply is `<code> <text>`, e.g. `smtpError(550, '5.7.1 relaying denied')`. */
export function smtpError(code: number, text: string): SMTPServerError {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The replies this channel gives, in one table (RFC 5321 §4.2 codes, RFC 3463 enhanced codes). */
export const REPLIES = {
  /** RFC 5321 §3.8: 421 closes the channel; 4.7.0 "other security status", try later. */
  rateLimited: () => smtpError(421, '4.7.0 rate limited, try again later'),
  /** Bans expire (limits.banSec), so the refusal is transient: the sender may retry later. */
  banned: () => smtpError(421, '4.7.1 banned, try again later'),
  /**
   * Lockdown (`.e lock`) refuses every channel until restart; 421 keeps the mail at the sender's
   * server, which retries (RFC 3463 4.3.2: system not accepting network messages).
   */
  lockedDown: () => smtpError(421, '4.3.2 locked down, try again later'),
  /** Maintenance (DESIGN §12) is transient by definition: 421, the sender retries. */
  maintenance: () => smtpError(421, '4.3.2 under maintenance, try again later'),
  /** No relaying (RFC 5321 §3.6.2, RFC 3463 5.7.1 delivery not authorized). */
  relayDenied: (address: string) =>
    smtpError(
      550,
      `5.7.1 <${address}>: relay access denied, this server only takes mail for its own domains`,
    ),
  /** RFC 5321 §4.5.3.1.10: too many recipients is 452, the client sends the rest later. */
  tooManyRecipients: (max: number) =>
    smtpError(452, `4.5.3 too many recipients (at most ${max} per message)`),
  /** RFC 1870 §6.3 / RFC 5321 552: the message is larger than the fixed limit. */
  tooBig: (max: number) => smtpError(552, `5.3.4 message exceeds the maximum size of ${max} bytes`),
  /** Nowhere to deliver a mail without a command (smtp.forwardTo is empty). */
  noMailbox: () => smtpError(550, '5.1.1 mailbox unavailable'),
  /** RFC 5321 451: our fault (disk, parser); the sender keeps the mail and retries. */
  localError: () => smtpError(451, '4.3.0 local error in processing, try again later'),
} as const;
