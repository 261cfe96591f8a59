/**
 * A valid config that can run nothing: no channel, or a channel with neither a password nor a
 * shortcut, where every command is refused. `check` prints these as warnings, `run` logs them.
 */
import { CHANNELS, effectiveFilters, type Config } from '@switchboard/core';

/** One line per reason the config runs nothing somewhere; empty when every channel can. */
export function idleWarnings(config: Config): string[] {
  const enabled = CHANNELS.filter((c) => config[c]?.enabled === true);
  if (enabled.length === 0) {
    return [
      'no channel is enabled: nothing can reach the daemon; add an http, smtp, telegram or twilio block',
    ];
  }
  const warnings: string[] = [];
  for (const channel of enabled) {
    const { passwords, shortcuts } = effectiveFilters(config, channel).pinAndShortcuts;
    if (passwords.length === 0 && Object.keys(shortcuts).length === 0) {
      warnings.push(
        `${channel}: no password and no shortcut: every command is refused; set filters.pinAndShortcuts.passwords`,
      );
    }
  }
  return warnings;
}
