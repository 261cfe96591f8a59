/**
 * Named commands' programs (DESIGN §12): a `run[0]` that is not absolute is found on PATH when
 * the config loads, so a command never depends on the PATH of the moment it runs, and a
 * program that is missing or not executable is a config error naming its key, not a failure
 * at the first call.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Env } from './env-subst.js';
import { formatPath } from './json-path.js';
import type { Config, NamedCommandConfig } from './types.js';

/** `config` with every enabled command's program as an absolute path, or the errors. */
export function resolvePrograms(
  config: Config,
  env: Env,
): { readonly config: Config; readonly errors: string[] } {
  const errors: string[] = [];
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir));
  const commands: Record<string, NamedCommandConfig> = {};
  for (const [name, command] of Object.entries(config.commands)) {
    const [program = '', ...args] = command.run;
    const found = command.enabled ? locate(program, dirs) : { path: program };
    if ('problem' in found) {
      errors.push(`${formatPath(['commands', name, 'run', 0])}: ${found.problem}`);
      commands[name] = command;
    } else {
      commands[name] = { ...command, run: [found.path, ...args] };
    }
  }
  return { config: { ...config, commands }, errors };
}

function locate(program: string, dirs: readonly string[]): { path: string } | { problem: string } {
  if (program.includes('/')) {
    if (!isAbsolute(program)) return { problem: `"${program}": must be absolute or a bare name` };
    const problem = unusable(program);
    return problem === undefined ? { path: program } : { problem: `${program}: ${problem}` };
  }
  for (const dir of dirs) {
    const candidate = join(dir, program);
    if (unusable(candidate) === undefined) return { path: candidate };
  }
  return { problem: `"${program}" is not found on PATH` };
}

/** Why `path` cannot be run, or undefined when it can. */
function unusable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'not a file';
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'not found' : 'not executable';
  }
}
