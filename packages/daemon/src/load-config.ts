/**
 * Loads the config file for a CLI verb: every problem is printed with its JSON path, and the
 * verb stops with a usage error (exit 2).
 */
import { dirname, resolve } from 'node:path';
import { APPS, createConfigLoader, type Config } from '@switchboard/core';
import { UsageError, type Io } from './io.js';

/** The default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'config.json';
/** Names the config file when `-c` does not (the Docker image sets it for run and health). */
export const CONFIG_ENV = 'SWITCHBOARD_CONFIG';

/** A loaded config and the directory relative paths in it are resolved from. */
export interface LoadedConfig {
  readonly config: Config;
  /** The file, absolute. */
  readonly path: string;
  /** The file as the user named it (`config.json`), for messages. */
  readonly name: string;
  readonly baseDir: string;
}

/** The config file a verb reads: `-c FILE`, else $SWITCHBOARD_CONFIG, else ./config.json. */
export function configFileName(file: string | undefined, io: Io): string {
  const fromEnv = io.env[CONFIG_ENV];
  return file ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_CONFIG_FILE : fromEnv);
}

/** The usage error for a config file with `errors`: each on its own line, with its JSON path. */
export function configProblems(name: string, errors: readonly string[]): UsageError {
  return new UsageError(
    `${name}: ${errors.length} problem(s)\n${errors.map((e) => `  ${e}`).join('\n')}`,
  );
}

/** Loads and validates the config file; throws UsageError listing every problem. */
export async function loadConfigOrFail(file: string | undefined, io: Io): Promise<LoadedConfig> {
  const name = configFileName(file, io);
  const path = resolve(name);
  // Loaded by the name given, so that messages show it as the user typed it.
  const result = await createConfigLoader(APPS).load(name, { env: io.env });
  if (!result.ok) throw configProblems(name, result.errors);
  return { config: result.config, path, name, baseDir: dirname(path) };
}
