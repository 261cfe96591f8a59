/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import type { ImapAccount } from '../apps/imap/imap-session.js';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths, its control socket, the message bank's directory and the
 * IMAP accounts' `ca` files resolved from `baseDir`; frozen like every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string): Config {
  const { http, smtp } = config;
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  // Undefined only when the loader runs with stand-in apps (tests).
  const bank = config.apps.messageBank as Config['apps']['messageBank'] | undefined;
  const imap = config.apps.imap as Config['apps']['imap'] | undefined;
  const accounts = Object.entries(imap?.accounts ?? {}).map(
    ([nick, account]): [string, ImapAccount] => [
      nick,
      account.ca === undefined ? account : { ...account, ca: resolve(baseDir, account.ca) },
    ],
  );
  return deepFreeze({
    ...config,
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    apps: {
      ...config.apps,
      ...(bank === undefined
        ? {}
        : { messageBank: { ...bank, directory: resolve(baseDir, bank.directory) } }),
      ...(imap === undefined ? {} : { imap: { ...imap, accounts: Object.fromEntries(accounts) } }),
    },
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
