/**
 * Loads the config file for a CLI verb: every problem is printed with its JSON path, and the
 * verb stops with a usage error (exit 2).
 */
import { dirname, resolve } from 'node:path';
import { APPS, createConfigLoader, type Config } from '@switchboard/core';
import { UsageError, type Io } from './io.js';

/** The default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'config.json';

/** A loaded config and the directory relative paths in it are resolved from. */
export interface LoadedConfig {
  readonly config: Config;
  readonly path: string;
  readonly baseDir: string;
}

/** Loads and validates `file`; throws UsageError listing every problem. */
export async function loadConfigOrFail(file: string | undefined, io: Io): Promise<LoadedConfig> {
  const path = resolve(file ?? DEFAULT_CONFIG_FILE);
  const result = await createConfigLoader(APPS).load(path, { env: io.env });
  if (!result.ok) {
    throw new UsageError(
      `${path}: ${result.errors.length} problem(s)\n${result.errors.map((e) => `  ${e}`).join('\n')}`,
    );
  }
  return { config: result.config, path, baseDir: dirname(path) };
}
