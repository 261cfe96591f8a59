/** Why a configured file cannot be searched, as the self-tests of `.g` and `.a` report it. */
import { access, constants, stat } from 'node:fs/promises';
import { systemReason } from '../../config/system-reason.js';

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
