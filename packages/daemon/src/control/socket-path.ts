/**
 * Where `ctl` finds the control socket: from the config file's `control` block alone, read the
 * way the daemon reads it (defaults, `$STATE_DIRECTORY`, relative to the file's folder). The
 * rest of the file may be broken by an edit, or name `${VARIABLES}` that only the daemon's
 * environment has: ctl must still reach the daemon, to reload it or lock it down.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { APPS, createConfigLoader } from '@switchboard/core';
import { UsageError, type Io } from '../io.js';
import { configFileName, configProblems } from '../load-config.js';

/** The absolute path of the control socket the config file (`-c FILE` or the default) names. */
export async function controlSocketPath(file: string | undefined, io: Io): Promise<string> {
  const name = configFileName(file, io);
  let text: string;
  try {
    text = await readFile(name, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${name}: cannot read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const loader = createConfigLoader(APPS);
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Not JSON: the loader says where it breaks.
    const result = loader.parse(text, { env: io.env, fileName: name });
    throw configProblems(name, result.ok ? [] : result.errors);
  }
  const control =
    typeof raw === 'object' && raw !== null && 'control' in raw ? raw.control : undefined;
  const result = loader.parse(JSON.stringify({ control }), { env: io.env, fileName: name });
  if (!result.ok) throw configProblems(name, result.errors);
  return resolve(dirname(resolve(name)), result.config.control.socket);
}
