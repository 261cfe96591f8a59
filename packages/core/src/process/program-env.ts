/**
 * The environment a command runs with (DESIGN §11): a few harmless variables of the daemon's,
 * those `apps.shell.env.pass` names, and `apps.shell.env.set`; nothing else. A variable that the
 * config file referenced through `${ENV}` (a token, a relay password) is never passed on, even
 * when `pass` names it: whoever has a password must not read the daemon's secrets with `.s env`.
 */
import type { Config } from '../config/types.js';

/** What every command gets from the daemon's environment, when the daemon has them. */
export const BASE_ENV_NAMES = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
] as const;

/** The environment of a command, from the daemon's own `env` and the config. */
export function programEnv(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const secret = new Set(config.referencedEnv);
  const out: Record<string, string> = {};
  for (const name of [...BASE_ENV_NAMES, ...config.apps.shell.env.pass]) {
    const value = env[name];
    if (value !== undefined && !secret.has(name)) out[name] = value;
  }
  // Set by the owner on purpose, value by value: passed even if it came from a `${ENV}`.
  return { ...out, ...config.apps.shell.env.set };
}
