/**
 * The relay as the outbox uses it: one nodemailer transport, with every SMTP step bounded in
 * time. nodemailer (about 15 MiB of resident memory) is loaded on the first send, so a daemon
 * that has sent nothing yet does not carry it.
 */
import type {
  SendMailOptions,
  SMTPSentMessageInfo,
  SMTPTransportOptions,
  Transporter,
} from 'nodemailer';
import type { MailConfig } from '../config/types.js';

/** Each SMTP phase (connect, greeting, idle socket) gives up after this long. */
const SMTP_PHASE_TIMEOUT_MS = 15_000;

type Transport = Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;

/** Sends through the relay; close() ends its connections once sends are done. */
export interface Relay {
  sendMail(options: SendMailOptions): Promise<unknown>;
  close(): void;
}

/** A relay for `smtp`; nothing connects, and nodemailer is not loaded, before the first send. */
export function createRelay(smtp: NonNullable<MailConfig['smtp']>): Relay {
  let transport: Promise<Transport> | undefined;
  const open = (): Promise<Transport> =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.auth === undefined ? undefined : { user: smtp.auth.user, pass: smtp.auth.pass },
        connectionTimeout: SMTP_PHASE_TIMEOUT_MS,
        greetingTimeout: SMTP_PHASE_TIMEOUT_MS,
        socketTimeout: SMTP_PHASE_TIMEOUT_MS,
        // Our mail never points at files or URLs; refuse them should a field ever do so.
        disableFileAccess: true,
        disableUrlAccess: true,
      }),
    ));
  return {
    async sendMail(options) {
      return (await open()).sendMail(options);
    },
    close() {
      void transport?.then((t) => {
        t.close();
      });
    },
  };
}
