/**
 * A channel's plan: everything per-config that the pipeline needs, computed once when the
 * pipeline is built (DESIGN §9): merged filters, the password matcher, enabled apps.
 */
import type { ChannelName } from '../command.js';
import type { Config, FiltersConfig, RateLimitConfig } from '../config/types.js';
import { effectiveFilters } from '../config/defaults.js';
import { PinMatcher } from '../filters/pin-and-shortcuts.js';
import { isPlt } from '../filters/plt.js';
import type { App } from '../apps/app.js';

/** Per-channel, precomputed. */
export interface ChannelPlan {
  readonly channel: ChannelName;
  readonly filters: FiltersConfig;
  readonly pin: PinMatcher;
  readonly rateLimit: RateLimitConfig;
}

/** Rate limit for a channel whose block is absent (e.g. `switchboard exec --channel twilio`). */
const FALLBACK_RATE_LIMIT: RateLimitConfig = { requests: 10, perSec: 1 };

/** Builds the plan of one channel. */
export function planChannel(config: Config, channel: ChannelName, now?: () => number): ChannelPlan {
  const filters = effectiveFilters(config, channel);
  return {
    channel,
    filters,
    pin: new PinMatcher(filters.pinAndShortcuts.passwords, filters.pinAndShortcuts.shortcuts, now),
    rateLimit: config[channel]?.rateLimit ?? FALLBACK_RATE_LIMIT,
  };
}

/** Enabled apps, the trigger list for the unknown-app error, and how to show a command. */
export interface AppTable {
  readonly byTrigger: readonly App[];
  readonly triggers: string;
  /** The command as logs may show it: `<hidden>` after any sensitive app's trigger. */
  show(content: string): string;
}

/** The apps the config enables. */
export function planApps(config: Config, apps: readonly App[]): AppTable {
  const enabled = apps.filter((a) => a.isConfigured(config));
  // Every sensitive trigger, enabled or not: a command aimed at one is hidden either way.
  const sensitive = apps.filter((a) => a.sensitive === true).map((a) => a.trigger.toLowerCase());
  return {
    byTrigger: enabled,
    triggers: enabled
      .map((a) => a.trigger.toLowerCase())
      .sort()
      .join(' '),
    show(content) {
      // Until `.plt` is parsed, what it wraps is unknown: it may be a sensitive app.
      if (isPlt(content)) return '.plt <hidden>';
      const lower = content.toLowerCase();
      const trigger = sensitive.find((t) => lower.startsWith(t));
      return trigger === undefined ? content : `${trigger} <hidden>`;
    },
  };
}
