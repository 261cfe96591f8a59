/**
 * API keys (DESIGN §12): the config keeps each key's SHA-256 only, so a leaked config leaks no
 * key. A presented key is hashed and looked up; comparing digests, not keys, leaks nothing a
 * timing attacker can use. `switchboard key new NAME` makes keys with newKey().
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyConfig, Grant, RateLimitConfig } from '../config/types.js';
import { SourceList } from '../guard/source-list.js';

/** A configured key, compiled. */
export interface ApiKey {
  readonly name: string;
  /** API keys work on the HTTP channel only. */
  readonly grant: Grant;
  readonly sources: SourceList;
  readonly rateLimit: RateLimitConfig;
}

/** Prefix of the keys newKey() makes: lets secret scanners and people tell what one is. */
export const KEY_PREFIX = 'sbk_';

/** A fresh key: 32 random bytes, base64url, with the prefix. */
export function newKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Lower-case hex SHA-256 of a key, as `apiKeys.NAME.sha256` holds it. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The keys of one config, by digest. */
export class ApiKeyTable {
  readonly #byDigest: ReadonlyMap<string, ApiKey>;

  constructor(keys: Readonly<Record<string, ApiKeyConfig>>) {
    this.#byDigest = new Map(
      Object.entries(keys).map(([name, key]) => [
        key.sha256.toLowerCase(),
        {
          name,
          grant: {
            apps: key.apps,
            channels: ['http'],
            ...(key.commands === undefined ? {} : { commands: key.commands }),
          },
          sources: new SourceList(key.sources),
          rateLimit: key.rateLimit,
        },
      ]),
    );
  }

  /** Whether any key is configured. */
  get size(): number {
    return this.#byDigest.size;
  }

  /** The configured key `presented` is, or undefined. */
  match(presented: string): ApiKey | undefined {
    return this.#byDigest.get(hashKey(presented));
  }
}
