/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import type { App } from '../apps/app.js';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths, its control socket and the files of `apps` resolved from
 * `baseDir`; frozen like every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string, apps: readonly App[]): Config {
  const { http, smtp } = config;
  const appSettings: Record<string, unknown> = { ...config.apps };
  for (const { settings } of apps) {
    if (settings?.resolvePaths === undefined) continue;
    appSettings[settings.key] = settings.resolvePaths(appSettings[settings.key], (path) =>
      resolve(baseDir, path),
    );
  }
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  return deepFreeze({
    ...config,
    apps: appSettings as Config['apps'],
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
