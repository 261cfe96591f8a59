/**
 * What may open the console (DESIGN §13): a password of `pinAndShortcuts.passwords` or an API
 * key, whose grant allows `.e` (the app that locks down, lists bans and reads the log) on the
 * HTTP channel. A shortcut, a code pair or a password with more text after it is not one.
 * Checked again on every request, against the config in force: a reload that removes the
 * password or the key ends the sessions opened with it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  effectiveFilters,
  grantOf,
  hashKey,
  passwordOf,
  permits,
  type Config,
  type Grant,
} from '@switchboard/core';

/** The app whose permission opens the console. */
export const CONSOLE_APP = '.e';

/** A credential as a session keeps it (in memory only, never sent back or logged). */
export interface Credential {
  readonly kind: 'password' | 'key';
  readonly secret: string;
}

/** Whether `secret` is one of `config`'s API keys (compared by digest, as the pipeline does). */
export function isApiKey(config: Config, secret: string): boolean {
  const digest = hashKey(secret);
  return Object.values(config.apiKeys).some((key) => key.sha256.toLowerCase() === digest);
}

/**
 * The grant of `credential` under `config` (undefined inside: anything), or false when it is
 * no password or key there. Passwords are compared by digest in constant time, all of them.
 */
export function grantIn(config: Config, credential: Credential): { grant?: Grant } | false {
  if (credential.kind === 'key') {
    const digest = hashKey(credential.secret);
    const key = Object.values(config.apiKeys).find((k) => k.sha256.toLowerCase() === digest);
    return key === undefined ? false : { grant: { apps: key.apps, channels: ['http'] } };
  }
  const presented = sha256(credential.secret);
  let found: { grant?: Grant } | false = false;
  for (const entry of effectiveFilters(config, 'http').pinAndShortcuts.passwords) {
    if (timingSafeEqual(sha256(passwordOf(entry)), presented) && found === false) {
      const grant = grantOf(entry);
      found = grant === undefined ? {} : { grant };
    }
  }
  return found;
}

/** Whether `credential` may use the console under `config`. */
export function opensConsole(config: Config, credential: Credential): boolean {
  const held = grantIn(config, credential);
  return held !== false && permits(held.grant, { channel: 'http', trigger: CONSOLE_APP });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
