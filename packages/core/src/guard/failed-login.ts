/**
 * A failed login (a wrong password, code pair, API key, metrics key or console login), counted
 * the same way wherever it happens: toward the source's ban (DESIGN §6), in the stats (metrics),
 * and a ban it brings logged through the capped refusal log.
 */
import type { ChannelName } from '../command.js';
import type { Services } from '../services.js';
import type { BanPolicy } from './state-store.js';

/** Counts one failed login of `source` on `channel`. */
export async function countFailedLogin(
  services: Pick<Services, 'stats' | 'store' | 'refusals'>,
  policy: BanPolicy,
  channel: ChannelName,
  source: string,
): Promise<void> {
  services.stats.failedLogin(channel);
  const ban = await services.store.recordFailedLogin(channel, source, policy);
  if (ban === undefined) return;
  // Capped: a flood from thousands of sources is thousands of bans (`.e bans` lists them).
  services.refusals.refused('ban', 'banned after repeated failed logins', {
    channel: ban.channel,
    source: ban.source,
    until: new Date(ban.expiresAt).toISOString(),
  });
}
