/**
 * Decides what happens to one received message, in this order: a loop is dropped, a command
 * runs (and the mail is never forwarded: it holds the password, or a guess at one), anything
 * else is forwarded.
 *
 * A command runs with the connecting IP as its source, so a wrong password is a failed login of
 * that IP and enough of them ban it at connection (DESIGN §10); a refused command gets no reply
 * (the sender may be forged, and a guesser learns nothing), and the 250 is the same either way.
 *
 * Durability (RFC 5321 §6.1: a 250 after DATA takes responsibility for the mail): a forward is
 * in the outbox before we answer 250, so a crash or a dead relay loses nothing, and a failure
 * to queue answers 451 so the sender retries. A command is accepted first and runs after the
 * transaction: a slow command never holds the sender's connection past its DATA timeout, and
 * a sender that retries (timeout, lost 250) never runs it twice. Its reply goes to the outbox.
 */
import { APPS, type Result, type Runtime } from '@switchboard/core';
import type { SMTPServerError } from 'smtp-server';
import { isPlainAddress } from './addresses.js';
import { commandReply } from './command-reply.js';
import { commandShape, findCommandLine } from './find-command.js';
import { forwardMail, type Arrival } from './forward.js';
import { readIncomingMail, type IncomingMail } from './incoming-mail.js';
import { loopReason, loopToken } from './loop-guard.js';
import { REPLIES } from './smtp-error.js';

/** The answer to the end of DATA: a 250 text, or a refusal. */
export type Verdict =
  | { readonly accepted: true; readonly message: string }
  | { readonly accepted: false; readonly error: SMTPServerError };

/** The services' logger (pino), named without depending on pino here. */
type Logger = Runtime['services']['logger'];

const accept = (message: string): Verdict => ({ accepted: true, message });

/** The 250 of every command mail, whether its password is right or not: no oracle. */
export const COMMAND_ACCEPTED = '2.0.0 OK, taken as a command';

/** Handles received messages and keeps track of the commands still running. */
export class MailHandler {
  readonly #runtime: Runtime;
  readonly #logger: Logger;
  readonly #shape = commandShape(APPS.map((app) => app.trigger));

  constructor(runtime: Runtime, logger: Logger) {
    this.#runtime = runtime;
    this.#logger = logger;
  }

  /** Decides about one message; throws only on local errors (the caller answers 451). */
  async handle(raw: Buffer, arrival: Arrival): Promise<Verdict> {
    const config = this.#runtime.config();
    const token = loopToken(config);
    const incoming = await readIncomingMail(raw);
    const where = { ip: arrival.remoteAddress, mailFrom: arrival.mailFrom };

    const loop = loopReason(incoming.loopTokens, incoming.receivedHops, token);
    if (loop !== undefined) {
      // Accepted and dropped: a refusal would bounce to our own address, which we would forward
      // again, and the loop would go on through bounces.
      this.#logger.warn({ ...where, reason: loop }, 'smtp: dropped a mail that loops');
      return accept('2.0.0 OK');
    }

    const command = findCommandLine(this.#runtime, this.#shape, incoming.text);
    if (command !== undefined) {
      // The runtime's drain lets it run and queue its reply when the daemon stops.
      void this.#runtime.track(this.#runCommand(incoming, command.line, arrival));
      return accept(COMMAND_ACCEPTED);
    }

    const forwardTo = config.smtp?.forwardTo ?? [];
    if (forwardTo.length === 0) {
      this.#logger.info(where, 'smtp: refused a mail without a command (smtp.forwardTo is empty)');
      return { accepted: false, error: REPLIES.noMailbox() };
    }
    const id = await this.#runtime.services.mail.enqueue(
      forwardMail({
        incoming,
        raw,
        arrival,
        forwardTo,
        ourAddress: config.mail.from,
        loopToken: token,
      }),
    );
    this.#logger.info({ ...where, id, bytes: raw.length, to: forwardTo }, 'smtp: mail forwarded');
    return accept('2.0.0 OK, queued');
  }

  /** Runs the command line and queues the reply; never rejects. */
  async #runCommand(incoming: IncomingMail, line: string, arrival: Arrival): Promise<void> {
    const config = this.#runtime.config();
    const sender = (incoming.from?.address ?? arrival.mailFrom).toLowerCase();
    const replyTo = incoming.replyTo?.address ?? incoming.from?.address ?? arrival.mailFrom;
    try {
      const result = await this.#runtime.process({
        channel: 'smtp',
        // The IP, not the sender address (which anyone can write), is limited and banned.
        source: arrival.remoteAddress,
        content: line,
        timeoutSec: config.smtp?.timeoutSec ?? 60,
      });
      const outcome = { ip: arrival.remoteAddress, sender, error: result.error?.code };
      if (!wasAdmitted(result)) {
        this.#runtime.services.refusals.refused(
          'smtp-command',
          'smtp: refused a command mail (no reply sent)',
          outcome,
        );
        return;
      }
      if (!isPlainAddress(replyTo)) {
        this.#logger.warn(outcome, 'smtp: command ran, but the mail has no address to reply to');
        return;
      }
      // Read now: a reload while the command ran may have changed mail.from.
      const now = this.#runtime.config();
      const reply = commandReply(incoming, replyTo, result, {
        address: now.mail.from,
        loopToken: loopToken(now),
      });
      const id = await this.#runtime.services.mail.enqueue(reply);
      this.#logger.info({ ...outcome, id, to: replyTo }, 'smtp: command answered');
    } catch (err) {
      this.#logger.error(
        {
          ip: arrival.remoteAddress,
          sender,
          err: err instanceof Error ? err.message : String(err),
        },
        'smtp: cannot queue the reply to a command mail',
      );
    }
  }
}

/** Whether the command got past admission and the PIN stage: only then is a reply sent. */
function wasAdmitted(result: Result): boolean {
  const code = result.error?.code;
  return code !== 'INVALID_LOGIN' && code !== 'BANNED' && code !== 'RATE_LIMITED';
}
