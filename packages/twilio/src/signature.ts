/**
 * Twilio's request signature (X-Twilio-Signature: HMAC-SHA1 of the URL Twilio called plus the
 * sorted POST parameters, keyed with the auth token), checked with twilio's own validator.
 * The URL must be the public one Twilio was given, never one rebuilt from Host and protocol:
 * behind a proxy those differ and every request would fail (Twilio error 57012).
 */
// The validator's own module: the package root loads the whole REST client (~8 MB of heap).
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

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
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    // The validator re-parses the URL with new URL() as a fallback; a URL it cannot parse
    // was not signed by Twilio.
    return false;
  }
}
