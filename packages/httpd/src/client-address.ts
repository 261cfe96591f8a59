/**
 * The client's address: the socket's, or, when the peer is a proxy the owner trusts
 * (`http.trustProxy`), the nearest untrusted address in X-Forwarded-For — the same walk as
 * express' req.ip, with express' own compiled trust function.
 */
import type { IncomingMessage } from 'node:http';

/** express' compiled `trust proxy` test: is the address at hop `i` a trusted proxy? */
export type TrustFn = (address: string, hop: number) => boolean;

/** The client address of `req` under `trust`. */
export function clientAddress(req: IncomingMessage, trust: TrustFn | undefined): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trust === undefined) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '')
    .reverse();
  const hops = [socketAddress, ...forwarded];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i] ?? '', i)) return hops[i] ?? socketAddress;
  }
  return hops[hops.length - 1] ?? socketAddress;
}
