/**
 * The checks made during the SMTP dialogue, before any message byte is read: core's admission
 * (lockdown, the IP's ban, the per-IP rate) at connect, again at every MAIL FROM (a ban or
 * lockdown may have come since; each further message pays the rate again), and at RCPT our
 * domains only (no relaying) and a cap on recipients.
 */
import type { PipelineError, Runtime } from '@switchboard/core';
import type { SMTPServerError, SMTPServerSession } from 'smtp-server';
import { isOurRecipient } from './addresses.js';
import { REPLIES, smtpError } from './smtp-error.js';

/** The rate-limit bucket of SMTP connections and messages per client IP. */
export const IP_BUCKET = 'smtp-ip';

/** Per-session checks against the config in force now. */
export class SessionGuard {
  readonly #runtime: Runtime;
  readonly #maxRecipients: number;

  constructor(runtime: Runtime, maxRecipients: number) {
    this.#runtime = runtime;
    this.#maxRecipients = maxRecipients;
  }

  /** At connect: locked down, banned or over the per-IP rate → a 421 refusal, else undefined. */
  async connect(ip: string): Promise<SMTPServerError | undefined> {
    return this.#admit(ip);
  }

  /** At MAIL: the first message was paid for at connect; each further one pays again. */
  async mailFrom(session: SMTPServerSession): Promise<SMTPServerError | undefined> {
    return this.#admit(session.remoteAddress, session.transaction > 1);
  }

  /** At RCPT: only our domains (else 550), and at most maxRecipients (else 452). */
  rcptTo(address: string, session: SMTPServerSession): SMTPServerError | undefined {
    const myDomains = this.#runtime.config().smtp?.myDomains ?? [];
    if (!isOurRecipient(address, myDomains)) return REPLIES.relayDenied(address);
    if (session.envelope.rcptTo.length >= this.#maxRecipients) {
      return REPLIES.tooManyRecipients(this.#maxRecipients);
    }
    return undefined;
  }

  async #admit(ip: string, pays = true): Promise<SMTPServerError | undefined> {
    const config = this.#runtime.config();
    const smtp = config.smtp;
    // A reload that removed the channel: the daemon is about to close it.
    if (smtp === undefined) return smtpError(421, '4.3.2 service not available');
    const refusal = await this.#runtime.admit({
      channel: 'smtp',
      source: ip,
      bucket: IP_BUCKET,
      ...(pays ? { rateLimit: smtp.rateLimit } : {}),
    });
    return refusal === undefined ? undefined : smtpRefusal(refusal);
  }
}

/** The SMTP reply of an admission refusal. */
function smtpRefusal(refusal: PipelineError): SMTPServerError {
  if (refusal.code === 'LOCKED_DOWN') return REPLIES.lockedDown();
  if (refusal.code === 'UNDER_MAINTENANCE') return REPLIES.maintenance();
  if (refusal.code === 'BANNED') return REPLIES.banned();
  return REPLIES.rateLimited();
}
