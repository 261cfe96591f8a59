/**
 * Waiting helpers for the test suites of every package (`@switchboard/core/testing`). Tests
 * wait for the precise signal their assertion needs; the deadline only bounds a hung test, so
 * it is generous for a loaded CI machine.
 */
import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a wait may take before the test fails as hung. */
export const WAIT_MS = 30_000;

/** Polls `check` every 10 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Whether `path` exists. */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
