/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths and its control socket resolved from `baseDir`; frozen like
 * every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string): Config {
  const { http, smtp } = config;
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  return deepFreeze({
    ...config,
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
