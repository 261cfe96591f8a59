/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths, its control socket and the message bank's directory
 * resolved from `baseDir`; frozen like every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string): Config {
  const { http, smtp } = config;
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  // Undefined only when the loader runs with stand-in apps (tests).
  const bank = config.apps.messageBank as Config['apps']['messageBank'] | undefined;
  return deepFreeze({
    ...config,
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    ...(bank === undefined
      ? {}
      : {
          apps: {
            ...config.apps,
            messageBank: { ...bank, directory: resolve(baseDir, bank.directory) },
          },
        }),
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
