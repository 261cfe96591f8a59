/**
 * Downloads one feed: GET with a time limit, a cap on the body (reading stops past it) and at
 * most MAX_REDIRECTS redirects. node:http rather than fetch(), because only its `lookup` hook
 * checks the address actually connected to: a URL given in a command must not reach a loopback
 * or private address unless the config allows it, and a check before fetch() could be
 * answered differently at connect time (DNS rebinding).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { SourceList } from '../../guard/source-list.js';
import { FeedError } from './feed-error.js';

/** Redirects followed before a feed fails: enough for http→https and a moved feed. */
export const MAX_REDIRECTS = 5;

/**
 * What a given URL may not reach: loopback, RFC 1918 and RFC 4193 private, link-local (cloud
 * metadata at 169.254.169.254), CGNAT, benchmarking, multicast, reserved, unspecified.
 */
const PRIVATE = new SourceList([
  ...['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'],
  ...['172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/3'],
  ...['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8'],
]);

/** How one feed is fetched. */
export interface FetchLimits {
  /** Per-feed time limit, besides the command's signal. */
  readonly timeoutSec: number;
  /** Bytes of body read at most; a larger feed fails. */
  readonly maxBytes: number;
  /** Refuse loopback and private addresses (for URLs given in a command). */
  readonly publicOnly: boolean;
}

/** The body of the feed at `url` as text, or a FeedError saying why not. */
export async function fetchFeed(
  url: string,
  limits: FetchLimits,
  signal: AbortSignal,
): Promise<string> {
  const timeout = AbortSignal.timeout(limits.timeoutSec * 1000);
  const both = AbortSignal.any([signal, timeout]);
  let target = new URL(url);
  try {
    for (let redirects = 0; ; redirects++) {
      const res = await get(target, limits.publicOnly, both);
      const location = res.headers.location;
      if (res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400) {
        res.destroy();
        if (location === undefined) throw new FeedError(`HTTP ${res.statusCode} without Location`);
        if (redirects === MAX_REDIRECTS)
          throw new FeedError(`more than ${MAX_REDIRECTS} redirects`);
        target = new URL(location, target);
        if (!/^https?:$/.test(target.protocol)) throw new FeedError('redirected to a non-HTTP URL');
        continue;
      }
      if (res.statusCode !== 200) {
        res.destroy();
        throw new FeedError(`HTTP ${res.statusCode ?? '?'}`);
      }
      return await readBody(res, limits.maxBytes);
    }
  } catch (error) {
    if (timeout.aborted) throw new FeedError(`no answer within ${limits.timeoutSec}s`);
    if (signal.aborted) throw new FeedError('cut off by the command timeout');
    throw error instanceof FeedError ? error : new FeedError(reasonOf(error));
  }
}

/** A GET of `url`; its response, once the headers are in. */
function get(url: URL, publicOnly: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (publicOnly && isIP(host) !== 0 && PRIVATE.has(host)) {
    return Promise.reject(privateAddress(host));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      signal,
      agent: false,
      headers: {
        accept:
          'application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9, */*;q=0.1',
        'user-agent': 'switchboard-rss',
      },
      ...(publicOnly ? { lookup: publicLookup } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

/** dns.lookup, refusing a name that resolves to a private address (any of them). */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error !== null) {
      callback(error, '', 0);
      return;
    }
    const refused = addresses.find((a) => PRIVATE.has(a.address));
    const first = addresses[0];
    if (refused !== undefined) callback(privateAddress(refused.address), '', 0);
    else if (options.all === true) callback(null, addresses);
    else if (first === undefined) callback(new FeedError('host has no address'), '', 0);
    else callback(null, first.address, first.family);
  });
};

function privateAddress(address: string): FeedError {
  return new FeedError(`${address} is a private address (see apps.rss.given.privateAddresses)`);
}

/** The body as text, reading no more than `maxBytes`. */
async function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      throw new FeedError(`larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return decode(Buffer.concat(chunks), res.headers['content-type']);
}

/** Text of `body` in the charset of its Content-Type, else of its XML declaration, else UTF-8. */
function decode(body: Buffer, contentType: string | undefined): string {
  const declared =
    /charset="?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding=["']([\w.:-]+)/i.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body); // an unknown charset label
  }
}

/** A network error as a short reason, from its code (its message may carry the URL). */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      if (typeof code !== 'string') return 'request failed';
      // OpenSSL's verification codes: DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, …
      return /CERT|SSL|TLS|SIGNED/.test(code) ? `TLS certificate refused (${code})` : code;
  }
}
