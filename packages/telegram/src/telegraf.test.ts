import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { message, Telegraf, TelegramError } from './telegraf.js';

const load = createRequire(import.meta.url);
const fromNodeFetch = createRequire(createRequire(load.resolve('telegraf')).resolve('node-fetch'));

describe('telegraf, as the channel loads it', () => {
  it('gives telegraf’s own classes and filters', () => {
    const real = load('telegraf') as { Telegraf: unknown; TelegramError: unknown };
    assert.equal(Telegraf, real.Telegraf);
    assert.equal(TelegramError, real.TelegramError);
    assert.equal(typeof message('text'), 'function');
  });

  it('leaves whatwg-url and its IDNA table (tr46) unloaded: node-fetch gets Node’s URL', () => {
    const loaded = Object.keys(load.cache);
    assert.ok(
      loaded.some((path) => path.includes(`${sep}node-fetch${sep}`)),
      'node-fetch loaded',
    );
    assert.deepEqual(
      loaded.filter((path) => /[\\/](tr46|webidl-conversions)[\\/]/.test(path)),
      [],
    );
    const whatwgUrl = fromNodeFetch('whatwg-url') as { URL: unknown; URLSearchParams: unknown };
    assert.equal(whatwgUrl.URL, URL);
    assert.equal(whatwgUrl.URLSearchParams, URLSearchParams);
  });
});
