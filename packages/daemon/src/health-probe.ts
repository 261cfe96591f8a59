/**
 * The two questions `switchboard health` can ask a running daemon: GET /healthz over HTTP(S),
 * or the greeting of its SMTP listener. Each answers healthy or not, with what it saw.
 */
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { jsonObject, systemReason } from '@switchboard/core';

/** What a probe found. */
export interface ProbeResult {
  readonly healthy: boolean;
  /** `answered ok`, `answered 404`, `connection refused`, ... */
  readonly detail: string;
}

/** What `degraded` means, for the health line. */
const DEGRADED = 'the shared state store is unreachable: docs/scale-out.md';

/** Enough of a /healthz body to read its status. */
const MAX_BODY = 4096;

/** GET `url`; healthy when it answers 200 with `{"status":"ok"}` or `"degraded"`. */
export function askHealthz(url: string, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const onResponse = (res: IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => {
        const status = statusOf(body);
        if (res.statusCode === 200 && status === 'ok') {
          resolve({ healthy: true, detail: 'answered ok' });
        } else if (res.statusCode === 200 && status === 'degraded') {
          // Serving alone on in-memory limits (DESIGN §16): restarting it would not help.
          resolve({ healthy: true, detail: `answered degraded (${DEGRADED})` });
        } else
          resolve({
            healthy: false,
            detail: `answered ${res.statusCode ?? '?'} ${status ?? ''}`.trim(),
          });
      });
      res.on('error', (error) => {
        resolve(failed(error, signal));
      });
    };
    // The certificate names the public host, not the loopback address asked here; the check
    // is whether our daemon answers, and it sends nothing secret.
    const request = url.startsWith('https:')
      ? httpsGet(url, { signal, rejectUnauthorized: false }, onResponse)
      : httpGet(url, { signal }, onResponse);
    request.on('error', (error) => {
      resolve(failed(error, signal));
    });
  });
}

/** Connects to an SMTP listener; healthy when it greets with any reply code (RFC 5321 §4.2). */
export function askSmtpGreeting(
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, signal });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const line = /^(\d{3})[ -].*\r?\n/.exec(text);
      if (line === null) return;
      // 421 (locked down, banned, busy) is still the daemon answering: alive is what counts.
      resolve({ healthy: true, detail: `greeted with ${line[1] ?? ''}` });
      socket.end('QUIT\r\n');
    });
    socket.on('error', (error) => {
      resolve(failed(error, signal));
    });
    socket.on('close', () => {
      resolve({ healthy: false, detail: 'closed without a greeting' });
    });
  });
}

function failed(error: unknown, signal: AbortSignal): ProbeResult {
  return { healthy: false, detail: signal.aborted ? 'no answer in time' : systemReason(error) };
}

function statusOf(body: string): string | undefined {
  const status = jsonObject(body)?.status;
  return typeof status === 'string' ? status : undefined;
}
