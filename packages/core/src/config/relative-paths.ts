/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import type { ImapSettings } from '../apps/imap.js';
import type { ImapAccount } from '../apps/imap/imap-session.js';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths, its control socket and its IMAP accounts' `ca` files
 * resolved from `baseDir`; frozen like every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string): Config {
  const { http, smtp } = config;
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  // Undefined when the loader was built with other apps than the registry's (tests).
  const imap = config.apps.imap as ImapSettings | undefined;
  const accounts = Object.entries(imap?.accounts ?? {}).map(
    ([nick, account]): [string, ImapAccount] => [
      nick,
      account.ca === undefined ? account : { ...account, ca: resolve(baseDir, account.ca) },
    ],
  );
  return deepFreeze({
    ...config,
    ...(imap === undefined
      ? {}
      : { apps: { ...config.apps, imap: { ...imap, accounts: Object.fromEntries(accounts) } } }),
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
