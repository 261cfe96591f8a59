/**
 * Reads several feeds at once: each fetched and parsed on its own, so one that fails only
 * names itself; the items of the others merged newest first, undated ones last.
 */
import { FeedError } from './feed-error.js';
import { plainText } from './feed-text.js';
import { fetchFeed, type FetchLimits } from './fetch-feed.js';
import { parseFeed, type FeedItem } from './parse-feed.js';

/** What reading the feeds gave. */
export interface FeedsRead {
  /** Every item of the feeds that worked, newest first; undated ones last, in feed order. */
  readonly items: readonly FeedItem[];
  /** One `NAME (REASON)` per feed that failed, in the order of the feeds. */
  readonly failures: readonly string[];
}

/** Fetches and parses `urls` concurrently. */
export async function readFeeds(
  urls: readonly string[],
  limits: FetchLimits,
  signal: AbortSignal,
): Promise<FeedsRead> {
  const results = await Promise.all(urls.map((url) => readOne(url, limits, signal)));
  const failures = results.filter((r): r is string => typeof r === 'string');
  const items = results.flatMap((r) => (typeof r === 'string' ? [] : r));
  // Array.prototype.sort is stable: equal times, and the undated, keep their feed order.
  items.sort((a, b) => (b.time ?? -Infinity) - (a.time ?? -Infinity) || 0);
  return { items, failures };
}

/** A feed's items, or `NAME (REASON)` when it failed. */
async function readOne(
  url: string,
  limits: FetchLimits,
  signal: AbortSignal,
): Promise<FeedItem[] | string> {
  try {
    return parseFeed(await fetchFeed(url, limits, signal));
  } catch (error) {
    const reason =
      error instanceof FeedError
        ? error.message
        : `cannot be read (${plainText(error instanceof Error ? error.message : String(error))})`;
    return `${feedName(url)} (${reason})`;
  }
}

/**
 * How a feed is named in messages: host and path. Not the query or a user name, which may
 * carry a private feed's token.
 */
function feedName(url: string): string {
  try {
    const { host, pathname } = new URL(url);
    return `${host}${pathname === '/' ? '' : pathname}`;
  } catch {
    return 'a feed with a malformed URL';
  }
}
