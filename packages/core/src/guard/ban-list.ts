/** The bans as `ctl bans` and the console list them: the first MAX_BANS_SHOWN, and a count of the rest. */
import type { StateStore } from './state-store.js';

/** At most this many bans in one answer (a shared store may hold many more). */
export const MAX_BANS_SHOWN = 1000;

/** The bans listed, with their ends as ISO 8601, and how many more there are. */
export interface BanList {
  readonly bans: readonly { source: string; channel: string; expiresAt: string }[];
  /** Bans beyond those listed. */
  readonly more: number;
}

/** The store's bans, at most MAX_BANS_SHOWN of them. */
export async function banList(store: StateStore): Promise<BanList> {
  const bans = await store.listBans();
  return {
    bans: bans.slice(0, MAX_BANS_SHOWN).map(({ source, channel, expiresAt }) => ({
      source,
      channel,
      expiresAt: new Date(expiresAt).toISOString(),
    })),
    more: Math.max(0, bans.length - MAX_BANS_SHOWN),
  };
}
