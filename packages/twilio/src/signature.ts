/**
 * Twilio's request signature (X-Twilio-Signature: base64 HMAC-SHA1 of the URL Twilio called
 * plus the sorted POST parameters, keyed with the auth token). The URL must be the public one
 * Twilio was given, never one rebuilt from Host and protocol: behind a proxy those differ and
 * every request would fail (Twilio error 57012).
 *
 * The same check as twilio's validateRequest (twilio/lib/webhooks/webhooks.js), URL variants
 * included (with and without the default port, normalised by new URL(), the query re-encoded as
 * Node's legacy querystring does), without the package: signature.test.ts checks both agree.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, stringify } from 'node:querystring';

/** The route prefix the daemon mounts the router at, under the HTTP channel's root. */
export const MOUNT_PATH = '/twilio';

/**
 * The public URL of `pathAndQuery` inside the router (e.g. `/sms?x=1`): `publicUrl` is the
 * public URL of the HTTP channel's root (basePath included), so this is the URL Twilio called.
 */
export function publicRouteUrl(publicUrl: string, pathAndQuery: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${MOUNT_PATH}${pathAndQuery}`;
}

/** Whether `signature` is Twilio's for `url` and the form `params`; false when absent. */
export function isSignedByTwilio(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Readonly<Record<string, unknown>>,
): boolean {
  if (signature === undefined || signature === '') return false;
  const given = Buffer.from(signature);
  const signs = (candidate: string): boolean => {
    const expected = Buffer.from(expectedSignature(authToken, candidate, params));
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if (signs(withoutPort(url)) || signs(withPort(url))) return true;
  let normalised: string;
  try {
    normalised = new URL(url).toString();
  } catch {
    return false; // a URL that cannot be parsed was not signed by Twilio
  }
  const bare = withoutPort(normalised);
  const ported = withPort(normalised);
  return [bare, ported, withLegacyQuery(bare), withLegacyQuery(ported)].some(signs);
}

/** base64 HMAC-SHA1 of the URL, then each parameter name and value, names sorted. */
function expectedSignature(
  authToken: string,
  url: string,
  params: Readonly<Record<string, unknown>>,
): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += formParam(name, params[name]);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** `name` + value; a repeated field once per distinct value, values sorted. */
function formParam(name: string, value: unknown): string {
  if (!Array.isArray(value)) return name + String(value);
  return [...new Set(value)]
    .sort()
    .map((v) => formParam(name, v))
    .join('');
}

/** A URL's parts without normalising it: the path and query keep the characters Twilio signed. */
interface UrlParts {
  readonly scheme: string;
  readonly userInfo: string;
  readonly host: string;
  readonly port: string;
  readonly rest: string;
}

function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (match === null) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

/** The URL with the scheme's default port when it names none. */
function withPort(url: string): string {
  const parts = splitUrl(url);
  if (parts === undefined || parts.port !== '') return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

/** The URL without its port. */
function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts === undefined ? url : parts.scheme + parts.userInfo + parts.host + parts.rest;
}

/** The query re-encoded as Node's legacy querystring does (`'` as `%27`). */
function withLegacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  return `${url.slice(0, start)}?${stringify(parse(url.slice(start + 1)))}`;
}
