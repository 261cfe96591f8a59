/**
 * `switchboard key new NAME` (DESIGN §12, §17): makes an API key, prints it once, and prints
 * the `apiKeys` entry that holds only its SHA-256. Nothing is written anywhere: the owner pastes
 * the entry into the config (the reload picks it up) and keeps the key.
 */
import { hashKey, NAME_PATTERN, newKey } from '@switchboard/core';
import { EXIT, UsageError, type Io } from '../io.js';

/** Help text of `key`. */
export const KEY_HELP = `Usage: switchboard key new NAME

Makes an API key for scripts (Authorization: Bearer <key>) and prints it once, with the entry
to add under "apiKeys" in the config file. The config keeps only the key's SHA-256, so the key
cannot be read back: store it now. A new key may run named commands (.x) only; add "apps",
"commands", "sources" or "rateLimit" to the entry to widen or narrow it (docs/api.md).

NAME: letters, digits, - and _ (it names the key in logs).

Example:
  switchboard key new ci`;

/** Runs `key`; resolves to the exit status. */
export function key(positionals: readonly string[], io: Io): Promise<number> {
  const [action, name, ...extra] = positionals;
  if (action !== 'new' || name === undefined || extra.length > 0) {
    return Promise.reject(new UsageError(`usage: switchboard key new NAME\n\n${KEY_HELP}`));
  }
  if (!new RegExp(NAME_PATTERN).test(name)) {
    return Promise.reject(
      new UsageError(`key name "${name}" must be letters, digits, - and _ (up to 64)`),
    );
  }
  const fresh = newKey();
  const entry = `${JSON.stringify(name)}: ${JSON.stringify({ sha256: hashKey(fresh), apps: ['.x'] })}`;
  io.stdout.write(
    `API key "${name}" (shown once; it is not stored anywhere):\n\n  ${fresh}\n\n` +
      `Add this to "apiKeys" in the config file:\n\n  ${entry}\n\n` +
      `Use it: curl -H 'Authorization: Bearer ${fresh}' http://127.0.0.1:8080/api/commands\n`,
  );
  return Promise.resolve(EXIT.ok);
}
