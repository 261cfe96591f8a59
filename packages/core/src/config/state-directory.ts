/**
 * Where the daemon keeps its state when the environment says so. systemd's `StateDirectory=`
 * creates a folder for the service, owned by its user, and names it in `$STATE_DIRECTORY`; the
 * Docker image sets `STATE_DIRECTORY=/data`. There, the config file's folder is read-only, so
 * the state paths that the config leaves out (`mail.outbox`, `control.socket`, and those of the
 * apps that keep state, e.g. `apps.messageBank.directory`) go into that folder instead of next
 * to the config file (docs/deploy.md).
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { App } from '../apps/app.js';
import type { Env } from './env-subst.js';
import { isPlainObject } from './json-path.js';
import type { Config } from './types.js';

/** The variable systemd sets for `StateDirectory=`. */
export const STATE_DIRECTORY = 'STATE_DIRECTORY';

/** The state folder named by `env`, or undefined; of several (`a:b`), the first. */
export function stateDirectory(env: Env): string | undefined {
  const value = env[STATE_DIRECTORY]?.split(':')[0];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Where the daemon keeps state that has no config key of its own (the monitor's alerts):
 * the state folder when `env` names one, else `data/` beside the config file.
 */
export function dataDirectory(baseDir: string, env: Env): string {
  return stateDirectory(env) ?? resolve(baseDir, 'data');
}

/** What is wrong with `$STATE_DIRECTORY`, if anything. */
export function stateDirectoryProblems(env: Env): string[] {
  const dir = stateDirectory(env);
  return dir === undefined || isAbsolute(dir)
    ? []
    : [`${STATE_DIRECTORY}: must be an absolute path, not "${dir}"`];
}

/**
 * `config` with the state paths that `raw` (the file as written, before defaults) leaves out
 * placed in the state folder, when `env` names one; each app's by its `inStateDirectory`.
 */
export function applyStateDirectory(
  config: Config,
  raw: unknown,
  env: Env,
  apps: readonly App[],
): Config {
  const dir = stateDirectory(env);
  if (dir === undefined) return config;
  /** Whether the file sets the key at `path`. */
  const sets = (...path: string[]): boolean => {
    let value = raw;
    for (const key of path) {
      if (!isPlainObject(value) || !(key in value)) return false;
      value = value[key];
    }
    return true;
  };
  const appSettings: Record<string, unknown> = { ...config.apps };
  for (const { settings } of apps) {
    if (settings?.inStateDirectory === undefined) continue;
    const given =
      isPlainObject(raw) && isPlainObject(raw.apps) ? raw.apps[settings.key] : undefined;
    appSettings[settings.key] = settings.inStateDirectory(appSettings[settings.key], given, dir);
  }
  return {
    ...config,
    ...(sets('mail', 'outbox') ? {} : { mail: { ...config.mail, outbox: join(dir, 'outbox') } }),
    ...(sets('control', 'socket')
      ? {}
      : { control: { ...config.control, socket: join(dir, 'control.sock') } }),
    apps: appSettings as Config['apps'],
  };
}
