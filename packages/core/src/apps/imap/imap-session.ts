/**
 * One short IMAP session per command (reference §8.8): connect over TLS (implicit, or a
 * required STARTTLS), log in, EXAMINE the mailbox (read-only: nothing is marked as seen), do the
 * work, log out. The command's signal closes the connection at once. Every failure becomes one
 * line naming the account, never the password.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { ImapFlow, ImapFlowError } from 'imapflow';
import { AppError, PipelineError } from '../../errors.js';

/** One account of `apps.imap.accounts`. */
export interface ImapAccount {
  readonly host: string;
  /** Unset: 993 for implicit TLS, 143 for STARTTLS. */
  readonly port?: number;
  /** Unset: "implicit". */
  readonly tls?: 'implicit' | 'starttls';
  readonly user: string;
  readonly password: string;
  /** Unset: INBOX. */
  readonly mailbox?: string;
  /** A PEM file of CA certificates trusted besides the system's. */
  readonly ca?: string;
}

/** The most bytes of one message fetched (BODY.PEEK[]<0.N>): what `.ir` reads at most. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The mailbox an account reads when it names none. */
export const DEFAULT_MAILBOX = 'INBOX';

/** The port an account connects to: its own, else the standard one for its TLS mode. */
export function portOf(account: ImapAccount): number {
  return account.port ?? (account.tls === 'starttls' ? 143 : 993);
}

/** An open, examined mailbox. */
export interface OpenMailbox {
  readonly client: ImapFlow;
  /** The mailbox's name. */
  readonly name: string;
  /** How many messages it has. */
  readonly total: number;
}

/**
 * Opens the mailbox of account `nick` read-only, runs `use` on it and logs out; any failure is
 * an AppError `nick: what went wrong`. When `signal` fires the connection is closed and its
 * reason (the pipeline's timeout) is thrown.
 */
export async function withMailbox<T>(
  nick: string,
  account: ImapAccount,
  signal: AbortSignal,
  use: (mailbox: OpenMailbox) => Promise<T>,
): Promise<T> {
  const name = account.mailbox ?? DEFAULT_MAILBOX;
  const ca = account.ca === undefined ? undefined : await readCa(nick, account.ca);
  // Loaded at first use: the daemon's idle memory is a tracked budget.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: account.host,
    port: portOf(account),
    secure: account.tls !== 'starttls',
    // Never continue in cleartext when STARTTLS is asked for: the password would cross it.
    doSTARTTLS: account.tls === 'starttls' ? true : undefined,
    auth: { user: account.user, pass: account.password },
    tls: ca === undefined ? {} : { ca: [...rootCertificates, ca] },
    logger: false,
    disableAutoIdle: true,
    clientInfo: { name: 'switchboard' },
    // A server cannot make one answer bigger than a capped message and its framing.
    maxLiteralSize: 2 * MAX_MESSAGE_BYTES,
    maxResponseSize: 4 * MAX_MESSAGE_BYTES,
  });
  // The failure also rejects what is pending; without a listener the 'error' event would crash.
  client.on('error', () => undefined);
  const close = (): void => {
    client.close();
  };
  signal.addEventListener('abort', close, { once: true });
  try {
    signal.throwIfAborted();
    await client.connect();
    const mailbox = await client.mailboxOpen(name, { readOnly: true });
    return await use({ client, name, total: mailbox.exists });
  } catch (err) {
    if (signal.aborted) throw stopped(nick, signal);
    if (err instanceof AppError) throw err;
    throw new AppError(withoutSecret(`${nick}: ${describe(account, name, err)}`, account.password));
  } finally {
    // Still under the signal: a server that stalls on LOGOUT is cut off at the timeout too.
    if (client.usable) await client.logout().catch(() => undefined);
    else client.close();
    signal.removeEventListener('abort', close);
  }
}

/** `text` with every occurrence of `secret` masked: a server may echo what it was sent. */
function withoutSecret(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('***');
}

/** What the abort of `signal` means: the pipeline's own timeout error, else a one-liner. */
function stopped(nick: string, signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof PipelineError) return reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new AppError(`${nick}: ${timedOut ? 'no answer in time' : 'stopped'}`);
}

async function readCa(nick: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      `${nick}: cannot read ca ${path} (${code === 'ENOENT' ? 'no such file' : String(code)})`,
    );
  }
}

// Node's codes for a certificate that does not verify (tls.TLSSocket.authorizationError).
const CERT_CODE = /CERT|SELF_SIGNED|LEAF_SIGNATURE|ERR_TLS|ERR_SSL/;

/** One line saying what `err` means for this account: the cause a user can act on. */
function describe(account: ImapAccount, mailbox: string, err: unknown): string {
  const e: ImapFlowError = err instanceof Error ? err : new Error(String(err));
  const at = `${account.host}:${String(portOf(account))}`;
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return `cannot connect to ${at} (connection refused)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot connect to ${at} (unknown host)`;
  if (code === 'ETIMEDOUT' || code.endsWith('_TIMEOUT') || code === 'ETIMEOUT') {
    return `cannot connect to ${at} (no answer)`;
  }
  if (CERT_CODE.test(code)) {
    return `TLS with ${at} failed: ${e.message} (a private CA's certificate goes in "ca")`;
  }
  if (e.tlsFailed === true) return `TLS with ${at} failed: ${e.message}`;
  if (e.authenticationFailed === true) {
    return `${account.host} refused the login (${e.responseText ?? 'authentication failed'})`;
  }
  if (e.mailboxMissing === true) return `no mailbox "${mailbox}" on ${account.host}`;
  return `IMAP error from ${at}: ${e.responseText ?? e.message}`;
}
