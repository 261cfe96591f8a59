/**
 * The start-up check that refuses an unsafe internet-facing config (laitos' IsSaneForInternet,
 * DESIGN §2 last paragraph and §8): a channel reachable beyond loopback needs a real password
 * and a bounded output length.
 */
import { hashKey } from '../auth/api-keys.js';
import { passwordOf } from '../auth/grant.js';
import { CHANNELS, type ChannelName } from '../command.js';
import { effectiveFilters } from './defaults.js';
import { parseListen } from './listen-address.js';
import type { Config } from './types.js';

/** The password config.example.json ships with; it only works on loopback. */
export const EXAMPLE_PASSWORD = 'switchboard-example-pass';

/** The API key docs/api.md uses (docs/api-example.json); it only works on loopback. */
export const EXAMPLE_API_KEY = 'sbk_docs-example-key-never-use-it';

/** Shortest password a channel beyond loopback accepts (DESIGN §2 stage 4). */
export const MIN_PASSWORD_LENGTH = 7;

/** lintText.maxLength bounds beyond loopback: long enough to be useful, short enough to cap replies. */
export const SANE_MAX_LENGTH = { min: 35, max: 4096 } as const;

const PASSWORDS_KEY = 'filters.pinAndShortcuts.passwords';

/** Every reason the config is unsafe to run, one line per problem; empty when it is sane. */
export function checkSanity(config: Config): string[] {
  const problems: string[] = [];
  for (const channel of CHANNELS) {
    const exposure = exposureOf(config, channel);
    if (exposure === undefined) continue;
    const filters = effectiveFilters(config, channel);
    const passwords = filters.pinAndShortcuts.passwords.map(passwordOf);
    if (!passwords.some((p) => Array.from(p).length >= MIN_PASSWORD_LENGTH)) {
      problems.push(
        `${channel}: ${exposure} but has no password of ${MIN_PASSWORD_LENGTH}+ characters; set one in ${PASSWORDS_KEY}`,
      );
    }
    if (passwords.includes(EXAMPLE_PASSWORD)) {
      problems.push(
        `${channel}: ${exposure} but uses the example password; set your own in ${PASSWORDS_KEY}`,
      );
    }
    const example = hashKey(EXAMPLE_API_KEY);
    for (const [name, key] of Object.entries(config.apiKeys)) {
      if (channel === 'http' && key.sha256.toLowerCase() === example) {
        problems.push(`http: ${exposure} but apiKeys.${name} is the example key of docs/api.md`);
      }
    }
    const { maxLength } = filters.lintText;
    if (maxLength < SANE_MAX_LENGTH.min || maxLength > SANE_MAX_LENGTH.max) {
      const shown = maxLength === 0 ? '0 (no limit)' : String(maxLength);
      problems.push(
        `${channel}: ${exposure} but lintText.maxLength is ${shown}; set filters.lintText.maxLength to ${SANE_MAX_LENGTH.min}..${SANE_MAX_LENGTH.max}`,
      );
    }
  }
  return problems;
}

/** How an enabled channel is reachable beyond loopback, or undefined if it is not. */
function exposureOf(config: Config, channel: ChannelName): string | undefined {
  const block = config[channel];
  if (block === undefined || !block.enabled) return undefined;
  if ('listen' in block) {
    return isLoopbackListen(block.listen) ? undefined : `listens on ${block.listen}`;
  }
  // Telegram and Twilio reach us through their clouds, whatever the local address.
  return 'is reachable from the internet';
}

/** True for `host:port` with host in 127.0.0.0/8, ::1 (also IPv4-mapped) or `localhost`. */
export function isLoopbackListen(listen: string): boolean {
  let host: string;
  try {
    host = parseListen(listen).host.toLowerCase();
  } catch {
    return false; // not host:port at all: certainly not a loopback address
  }
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
