/**
 * Permissions (DESIGN §12): what a password entry or an API key may run. A grant lists apps by
 * trigger, channels and named commands; a list that is absent allows everything of its kind.
 */
import type { ChannelName } from '../command.js';
import type { Grant, PasswordEntry } from '../config/types.js';

/** What a command asks for, as far as the apps and channels of a grant go. */
export interface Request {
  readonly channel: ChannelName;
  /** The app's trigger, e.g. `.x`. */
  readonly trigger: string;
}

/** The password of an entry of `pinAndShortcuts.passwords`. */
export function passwordOf(entry: string | PasswordEntry): string {
  return typeof entry === 'string' ? entry : entry.password;
}

/** The grant of an entry; undefined for a plain string (it may run anything). */
export function grantOf(entry: string | PasswordEntry): Grant | undefined {
  if (typeof entry === 'string') return undefined;
  return { apps: entry.apps, channels: entry.channels, commands: entry.commands };
}

/** Whether `grant` allows `request`; no grant allows everything. */
export function permits(grant: Grant | undefined, request: Request): boolean {
  if (grant === undefined) return true;
  const trigger = request.trigger.toLowerCase();
  if (grant.channels !== undefined && !grant.channels.includes(request.channel)) return false;
  return grant.apps === undefined || grant.apps.some((a) => a.toLowerCase() === trigger);
}

/** Whether `grant` allows the named command at all (for the list a caller may run). */
export function permitsCommand(grant: Grant | undefined, name: string): boolean {
  return grant?.commands === undefined || grant.commands.includes(name);
}
