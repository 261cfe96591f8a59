/**
 * telegraf's classes, loaded without whatwg-url. Telegraf calls the Bot API through node-fetch
 * 2, which requires whatwg-url (and with it tr46's 1.8 MiB IDNA table) but uses it only where
 * Node has no URL of its own: `require('url').URL || whatwgUrl.URL`, never on Node 20. Node's
 * URL stands in for it in the require cache (documented: entries may be added), so the daemon
 * does not carry it (the idle memory budget, DESIGN §11). Every value from telegraf is taken
 * from here; types may come from telegraf itself.
 */
import { createRequire, Module } from 'node:module';
import type * as TelegrafModule from 'telegraf';
import type * as FiltersModule from 'telegraf/filters';

const load = createRequire(import.meta.url);
standInForWhatwgUrl();

export const { Telegraf, TelegramError } = load('telegraf') as typeof TelegrafModule;
export type Telegraf = TelegrafModule.Telegraf;
export const message: typeof FiltersModule.message = (
  load('telegraf/filters') as typeof FiltersModule
).message;

/**
 * Puts Node's URL in the require cache where node-fetch (through telegraf) finds whatwg-url.
 * Where the packages are laid out otherwise, nothing is put: the real one loads, and works.
 */
function standInForWhatwgUrl(): void {
  let path: string;
  try {
    const fromNodeFetch = createRequire(
      createRequire(load.resolve('telegraf')).resolve('node-fetch'),
    );
    path = fromNodeFetch.resolve('whatwg-url');
  } catch {
    return;
  }
  if (path in load.cache) return;
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = { URL, URLSearchParams };
  load.cache[path] = standIn;
}
