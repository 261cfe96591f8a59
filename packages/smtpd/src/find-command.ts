/**
 * Finds the line of a mail's text that carries a command, using the pipeline's own PIN stage
 * (runtime.authorises, side-effect free), so mail without one never counts as a failed login.
 */
import type { Runtime } from '@switchboard/core';

/**
 * The first line that passes the PIN stage (password, shortcut or code pair), trimmed; or
 * undefined. Only that line goes to the pipeline: a long mail (quoted thread, signature)
 * would otherwise trip the 16 KiB command cap, and the stage only ever runs one line anyway.
 */
export function findCommandLine(runtime: Runtime, text: string): string | undefined {
  // One pass over the whole text first: the common case, mail without a command, ends here.
  if (text === '' || !runtime.authorises('smtp', text)) return undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line !== '' && runtime.authorises('smtp', line)) return line;
  }
  return undefined;
}
