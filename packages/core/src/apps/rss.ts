/**
 * `.r` RSS and Atom feeds (DESIGN §15, reference §8.9): the latest items of the configured
 * feeds, merged newest first, one line each. Unlike laitos it reads Atom and RSS 1.0, keeps a
 * feed whose one item has a bad date, removes HTML, and has no default list of news sites.
 * `.r URL` reads a given feed only when the config allows it, and then not from a private
 * address unless it says so too: the caller makes the server fetch it.
 */
import { AppError } from '../errors.js';
import { arr, bool, httpUrl, int, obj } from '../config/schema-builders.js';
import { defineApp, type App } from './app.js';
import type { FetchLimits } from './rss/fetch-feed.js';
import { cutTo } from './cut-text.js';

/** Items shown when the command gives no count. */
const DEFAULT_COUNT = 10;
/** Items shown at most, so a command cannot flood a channel. */
const MAX_COUNT = 100;
/** Characters of one item's line (`title — summary`) at most. */
export const LINE_CHARS = 200;
const MAX_SKIP = 10_000;

/** `apps.rss`. */
export interface RssSettings {
  readonly feeds: readonly string[];
  readonly timeoutSec: number;
  readonly maxBytes: number;
  readonly given: { readonly enabled: boolean; readonly privateAddresses: boolean };
}

/** What a `.r` command asks for. */
interface RssRequest {
  readonly url?: string;
  readonly skip: number;
  readonly count: number;
}

/** The `.r` app. */
export const rssApp: App<RssSettings, 'rss'> = defineApp({
  trigger: '.r',
  name: 'RSS and Atom feeds',
  docs: { enabled: 'when `apps.rss.feeds` has one or `apps.rss.given.enabled`' },
  settings: {
    key: 'rss',
    defaults: {
      feeds: [],
      timeoutSec: 10,
      maxBytes: 2 * 1024 * 1024,
      given: { enabled: false, privateAddresses: false },
    },
    schema: obj('`.r`: the feeds it reads and how.', {
      feeds: {
        ...arr('The feeds `.r` reads: RSS 2.0, RSS 1.0 or Atom URLs.', httpUrl('A feed URL.')),
        maxItems: 20,
      },
      timeoutSec: int('Seconds each feed may take to download.', 1, 300),
      maxBytes: int('Bytes of one feed read at most; a larger feed fails.', 1024, 64 * 1024 * 1024),
      given: obj('`.r URL`: a feed given in the command.', {
        enabled: bool('Allow `.r URL`: whoever may run `.r` makes the server fetch any URL.'),
        privateAddresses: bool(
          'Let a given URL reach loopback, private and link-local addresses (this host, the LAN, cloud metadata).',
        ),
      }),
    }),
  },
  isConfigured: (config) => config.apps.rss.feeds.length > 0 || config.apps.rss.given.enabled,

  async selfTest(config, signal) {
    const { readFeeds } = await import('./rss/read-feeds.js');
    const settings = config.apps.rss;
    const read = await readFeeds(
      settings.feeds,
      limitsOf(settings, false),
      signal ?? new AbortController().signal,
    );
    if (read.failures.length > 0) throw new Error(read.failures.join('\n'));
  },

  async execute(input, ctx) {
    const settings = ctx.config.apps.rss;
    const request = parseRequest(input, settings.given.enabled);
    const urls = request.url === undefined ? settings.feeds : [request.url];
    if (urls.length === 0) throw new AppError('no feeds configured (apps.rss.feeds); use .r URL');
    // Loaded at first use: the XML parser stays out of an idle daemon's memory.
    const { readFeeds } = await import('./rss/read-feeds.js');
    const publicOnly = request.url !== undefined && !settings.given.privateAddresses;
    const { items, failures } = await readFeeds(urls, limitsOf(settings, publicOnly), ctx.signal);
    const failed = failures.length === 0 ? [] : [`failed: ${failures.join('; ')}`];
    if (items.length === 0 && failed.length > 0) throw new AppError(failed.join(''));
    const shown = items.slice(request.skip, request.skip + request.count);
    const lines = shown.map((item) =>
      cutTo([item.title, item.summary].filter((t) => t !== '').join(' — '), LINE_CHARS),
    );
    if (lines.length === 0) {
      lines.push(items.length === 0 ? 'no items' : `only ${items.length} items`);
    }
    return [...lines, ...failed].join('\n');
  },
});

function limitsOf(settings: RssSettings, publicOnly: boolean): FetchLimits {
  return { timeoutSec: settings.timeoutSec, maxBytes: settings.maxBytes, publicOnly };
}

/** `[URL] [[SKIP] COUNT]`: one number is the count, two are skip and count. */
function parseRequest(input: string, urlAllowed: boolean): RssRequest {
  const usage = `usage: .r [[SKIP] COUNT]${urlAllowed ? ' or .r URL [[SKIP] COUNT]' : ''}`;
  const words = input.split(/\s+/).filter((w) => w !== '');
  const url = /^https?:\/\//i.test(words[0] ?? '') ? words.shift() : undefined;
  if (url !== undefined && !urlAllowed) {
    throw new AppError('.r URL is off; set apps.rss.given.enabled to allow it');
  }
  if (url !== undefined && !URL.canParse(url)) throw new AppError('not a URL');
  if (words.length > 2 || !words.every((w) => /^\d{1,6}$/.test(w))) throw new AppError(usage);
  const [skip, count] =
    words.length === 2 ? words.map(Number) : [0, Number(words[0] ?? DEFAULT_COUNT)];
  if (count === undefined || count < 1 || count > MAX_COUNT) {
    throw new AppError(`COUNT must be 1 to ${MAX_COUNT}`);
  }
  if (skip === undefined || skip > MAX_SKIP) throw new AppError(`SKIP must be 0 to ${MAX_SKIP}`);
  return { ...(url === undefined ? {} : { url }), skip, count };
}
