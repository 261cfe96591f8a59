/**
 * The mail channel: an smtp-server listener that takes mail for `smtp.myDomains` only, runs
 * the one command a mail may carry and forwards the rest (DESIGN §4 smtpd). It never relays
 * and never authenticates anyone: outgoing mail goes only to `forwardTo`, to the sender of an
 * authenticated command, and (through the pipeline) to notification recipients.
 */
import { hostname as osHostname } from 'node:os';
import {
  joinHostPort,
  listenAt,
  parseListen,
  readTlsFiles,
  type ChannelHandle,
  type Runtime,
} from '@switchboard/core';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Arrival } from './forward.js';
import { MailHandler } from './mail-handler.js';
import { readMessage } from './read-message.js';
import { SessionGuard } from './session-guard.js';
import { REPLIES, smtpError } from './smtp-error.js';

/** Settings that are not in the config file (sensible defaults; tests shorten the timeouts). */
export interface SmtpChannelOptions {
  /** Name in the 220 greeting and EHLO reply; default the first of smtp.myDomains, else the host name. */
  readonly hostname?: string;
  /** Recipients per message (RFC 5321 §4.5.3.1.8 asks servers to take at least 100). */
  readonly maxRecipients?: number;
  /** Connections at once, over all clients; more get 421. */
  readonly maxClients?: number;
  /** A client silent for this long is dropped with 421 (ms). */
  readonly socketTimeoutMs?: number;
  /** close() lets open sessions finish for this long before cutting them (ms). */
  readonly closeTimeoutMs?: number;
}

/** A running mail channel. */
export interface SmtpChannelHandle extends ChannelHandle {
  /** The port actually bound (useful with `listen: "127.0.0.1:0"`). */
  readonly port: number;
}

const DEFAULTS = {
  maxRecipients: 100,
  maxClients: 100,
  socketTimeoutMs: 60_000,
  closeTimeoutMs: 10_000,
} as const;

/** Starts the mail channel from `runtime.config().smtp`; resolves once it listens. */
export async function startSmtpChannel(
  runtime: Runtime,
  options: SmtpChannelOptions = {},
): Promise<SmtpChannelHandle> {
  const smtp = runtime.config().smtp;
  if (smtp === undefined) throw new Error('smtp: the config has no smtp block');
  const listen = parseListen(smtp.listen, 'smtp.listen');
  // Read once, at start: a bad file fails the start, naming its key.
  const tls = smtp.tls === undefined ? undefined : await readTlsFiles('smtp.tls', smtp.tls);
  const logger = runtime.services.logger.child({ channel: 'smtp' });
  const guard = new SessionGuard(runtime, options.maxRecipients ?? DEFAULTS.maxRecipients);
  const handler = new MailHandler(runtime, logger);
  const { refusals } = runtime.services;
  const maxBytes = smtp.maxMessageBytes;

  /** Answers an SMTP stage from a guard check; a failing state store refuses, never admits. */
  const answerGuard = (
    check: Promise<Error | undefined>,
    ip: string,
    callback: (err?: Error | null) => void,
    onRefusal?: (refusal: Error) => void,
  ): void => {
    check.then(
      (refusal) => {
        if (refusal !== undefined) onRefusal?.(refusal);
        callback(refusal ?? null);
      },
      (err: unknown) => {
        logger.error({ ip, err: errorText(err) }, 'smtp: state store error');
        callback(smtpError(421, '4.3.0 local error, try again later'));
      },
    );
  };

  const server = new SMTPServer({
    name: options.hostname ?? smtp.myDomains[0] ?? osHostname(),
    // Advertised in EHLO (RFC 1870), so honest clients refuse a too big mail before sending it.
    size: maxBytes,
    // No AUTH: this is an inbound MX, not a submission server. STARTTLS only with our own cert:
    // smtp-server's built-in one is public and expired.
    authOptional: true,
    disabledCommands: tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
    ...(tls ?? {}),
    // A PTR lookup per connection costs time and tells us nothing we act on.
    disableReverseLookup: true,
    logger: false,
    maxClients: options.maxClients ?? DEFAULTS.maxClients,
    socketTimeout: options.socketTimeoutMs ?? DEFAULTS.socketTimeoutMs,
    closeTimeout: options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs,
    onConnect(session, callback) {
      answerGuard(guard.connect(session.remoteAddress), session.remoteAddress, callback, (r) => {
        refusals.refused('smtp-connection', 'smtp: refused a connection', {
          channel: 'smtp',
          ip: session.remoteAddress,
          reply: r.message,
        });
      });
    },
    onMailFrom(_address, session, callback) {
      answerGuard(guard.mailFrom(session), session.remoteAddress, callback);
    },
    onRcptTo(address, session, callback) {
      const refusal = guard.rcptTo(address.address, session);
      if (refusal !== undefined) {
        refusals.refused('smtp-recipient', 'smtp: refused a recipient', {
          channel: 'smtp',
          ip: session.remoteAddress,
          rcpt: address.address,
        });
      }
      callback(refusal ?? null);
    },
    onData(stream, session, callback) {
      const ip = session.remoteAddress;
      readMessage(stream, maxBytes)
        .then(async (read) => {
          if (read.tooBig) {
            logger.info(
              { ip, bytes: read.bytes, max: maxBytes },
              'smtp: refused a mail over the size limit',
            );
            callback(REPLIES.tooBig(maxBytes));
            return;
          }
          const verdict = await handler.handle(read.raw, arrivalOf(session));
          if (verdict.accepted) callback(null, verdict.message);
          else callback(verdict.error);
        })
        .catch((err: unknown) => {
          // The stack stays in our log; the client only learns to try again (RFC 5321 451).
          logger.error({ ip, err: errorText(err) }, 'smtp: cannot handle a mail');
          callback(REPLIES.localError());
        });
    },
  });
  // Socket errors of single clients (resets, TLS failures) must never take the daemon down.
  server.on('error', (err) => {
    logger.debug({ err: errorText(err) }, 'smtp: connection error');
  });

  // smtp-server's listen() is its net.Server's; binding that one directly is the same.
  const { port } = await listenAt(server.server, smtp.listen, 'smtp.listen');
  const address = `smtp://${joinHostPort(listen.host, port)}`;
  let closing: Promise<void> | undefined;
  return {
    address,
    details: { myDomains: smtp.myDomains, forwardTo: smtp.forwardTo, starttls: tls !== undefined },
    port,
    close() {
      // Open sessions get closeTimeoutMs to finish their dialogue; commands accepted before
      // run on, and the daemon's stop drains them (runtime.track).
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      return closing;
    },
  };
}

function arrivalOf(session: SMTPServerSession): Arrival {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    remoteAddress: session.remoteAddress,
    heloName: session.hostNameAppearsAs || '',
    mailFrom: mailFrom === false ? '' : mailFrom.address,
    rcptTo: rcptTo.map((r) => r.address),
    secure: session.secure,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
