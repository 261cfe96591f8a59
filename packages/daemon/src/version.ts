/** The version of the switchboard CLI, from its package.json (which the image ships too). */
import { readFileSync } from 'node:fs';

/** `0.1.0`: the `version` of packages/daemon/package.json. */
export function cliVersion(): string {
  // dist/version.js → ../package.json
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
