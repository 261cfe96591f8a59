/**
 * Relative file paths in a config file are relative to that file's directory (docs/deploy.md),
 * whatever the working directory of the process: resolved once at load, so `check`, `run`,
 * `ctl` and the channels read the same files.
 */
import { resolve } from 'node:path';
import { deepFreeze } from './defaults.js';
import type { Config } from './types.js';

/**
 * `config` with its TLS file paths, its control socket and the files its apps search resolved
 * from `baseDir`; frozen like every loaded config.
 */
export function resolveFilePaths(config: Config, baseDir: string): Config {
  const { http, smtp } = config;
  const tls = (paths: { readonly cert: string; readonly key: string }) => ({
    cert: resolve(baseDir, paths.cert),
    key: resolve(baseDir, paths.key),
  });
  const paths = (files: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(files).map(([name, path]) => [name, resolve(baseDir, path)]));
  const { apps } = config;
  return deepFreeze({
    ...config,
    apps: {
      ...apps,
      textSearch: { ...apps.textSearch, files: paths(apps.textSearch.files) },
      aesSearch: {
        ...apps.aesSearch,
        files: Object.fromEntries(
          Object.entries(apps.aesSearch.files).map(([name, file]) => [
            name,
            { ...file, path: resolve(baseDir, file.path) },
          ]),
        ),
      },
    },
    control: { ...config.control, socket: resolve(baseDir, config.control.socket) },
    ...(http?.tls === undefined ? {} : { http: { ...http, tls: tls(http.tls) } }),
    ...(smtp?.tls === undefined ? {} : { smtp: { ...smtp, tls: tls(smtp.tls) } }),
  });
}
