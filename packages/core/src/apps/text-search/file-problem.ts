/** Why a configured file cannot be searched, as the self-tests of `.g` and `.a` report it. */
import { access, constants, stat } from 'node:fs/promises';
import { systemReason } from '../../config/system-reason.js';

/**
 * The self-test of `.g` and `.a`: each file's problem (`problemOf`, undefined when it has none),
 * all named by their config key in one error.
 */
export async function checkFiles<E>(
  key: string,
  files: Readonly<Record<string, E>>,
  problemOf: (entry: E) => Promise<string | undefined>,
): Promise<void> {
  const problems: string[] = [];
  for (const [shortcut, entry] of Object.entries(files)) {
    const problem = await problemOf(entry);
    if (problem !== undefined) problems.push(`apps.${key}.files.${shortcut}: ${problem}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** Why `path` is not a readable file, for the operator (it names the path); else undefined. */
export async function unreadable(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.R_OK);
    if (!(await stat(path)).isFile()) return `${path} is not a file`;
    return undefined;
  } catch (err) {
    return `cannot read ${path} (${systemReason(err)})`;
  }
}
