/**
 * Finds the line of a mail's text that carries a command. A line that passes the PIN stage
 * (runtime.authorises, side-effect free) is one; so is a line shaped like a command, a word of
 * password length and an app trigger (`WORD .s ...`, DESIGN §10 "Mail brute force"), which the
 * pipeline then refuses and counts as a failed login. Ordinary mail has neither and is forwarded.
 */
import type { Runtime } from '@switchboard/core';

/** The line a mail's command is on, and whether it passes the PIN stage. */
export interface CommandLine {
  readonly line: string;
  readonly authorised: boolean;
}

/** The shortest password the config accepts: a shorter first word is no guess at one. */
const MIN_PASSWORD_LENGTH = 7;

/**
 * What a command line looks like: a word of 7+ characters (a password, or a 12-digit code pair),
 * optional spaces, then one of `triggers` (or `.plt`) as a whole word. "example.com is down" is
 * not one (`.com` is no trigger); "mypassword.s date" and "guess .e info" are.
 */
export function commandShape(triggers: readonly string[]): RegExp {
  const alternatives = [...triggers, '.plt']
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .sort((a, b) => b.length - a.length)
    .join('|');
  return new RegExp(`^\\S{${MIN_PASSWORD_LENGTH},}?\\s*(?:${alternatives})(?:\\s|$)`, 'iu');
}

/**
 * The first line that passes the PIN stage, else the first that is shaped like a command;
 * trimmed; or undefined. Only that line goes to the pipeline: a long mail (quoted thread,
 * signature) would otherwise trip the 16 KiB command cap, and the stage only runs one line anyway.
 */
export function findCommandLine(
  runtime: Runtime,
  shape: RegExp,
  text: string,
): CommandLine | undefined {
  if (text === '') return undefined;
  const lines = text
    .split('\n')
    .map((raw) => raw.trim())
    .filter((line) => line !== '');
  // One pass over the whole text first: the common case, mail without a password, skips the rest.
  if (runtime.authorises('smtp', text)) {
    const line = lines.find((l) => runtime.authorises('smtp', l));
    if (line !== undefined) return { line, authorised: true };
  }
  const shaped = lines.find((l) => shape.test(l));
  return shaped === undefined ? undefined : { line: shaped, authorised: false };
}
