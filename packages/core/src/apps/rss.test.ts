/**
 * `.r` through the pipeline, against a local feed server in a process of its own: the formats
 * merged newest first, counts, and every way a feed fails named in one line.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../config/load.js';
import { testConfig, testRig } from '../harness.js';
import { deadPort, selfSignedCert, startFeedServer, type FeedServer } from '../testing.js';
import { RSS_2 } from '../feed-fixtures.js';
import { APPS } from './registry.js';
import { LINE_CHARS, rssApp } from './rss.js';

const PASSWORD = 'rss-test-password';
let server: FeedServer;
let host: string;
before(async () => {
  server = await startFeedServer();
  host = server.url.replace('http://', '');
});
after(() => server.stop());

/** A pipeline whose `.r` reads these paths of the feed server, with `rss` settings added. */
function rig(paths: readonly string[], rss: Record<string, unknown> = {}) {
  return testRig({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { rss: { feeds: paths.map((p) => `${server.url}${p}`), ...rss } },
  });
}

/** The output (or the error) of `.r INPUT`. */
async function read(paths: readonly string[], input = '', rss: Record<string, unknown> = {}) {
  const r = await rig(paths, rss).run(`${PASSWORD} .r ${input}`, { timeoutSec: 20 });
  return r.error === undefined ? r.output : `error: ${r.error.message}`;
}

const MERGED = [
  'Release 2.0 <beta> — Faster & smaller',
  'Rates & markets — Prices rose again',
  'RDF first — From an RDF feed',
  'Café opens — A new café – on Main St',
  'Notes — Plain notes',
  'RDF second',
  'Bad date — Kept, though its date is nonsense',
  'No date — Kept too',
];

describe('.r', () => {
  it('merges RSS 2.0, Atom and RDF feeds newest first, one line each, undated last', async () => {
    assert.equal(await read(['/rss.xml', '/atom.xml', '/rdf.xml']), MERGED.join('\n'));
  });

  it('shows COUNT items, or SKIP then COUNT, 10 by default and 100 at most', async () => {
    const feeds = ['/rss.xml', '/atom.xml', '/rdf.xml'];
    assert.equal(await read(feeds, '2'), MERGED.slice(0, 2).join('\n'));
    assert.equal(await read(feeds, '3 2'), MERGED.slice(3, 5).join('\n'));
    assert.equal(await read(feeds, '8 5'), 'only 8 items');
    const many = (await read(['/many.xml'])).split('\n');
    assert.deepEqual([many.length, many[0], many[9]], [10, 'Item 1', 'Item 10']);
    const hundred = (await read(['/many.xml'], '150 100')).split('\n');
    assert.deepEqual([hundred.length, hundred[0], hundred[99]], [100, 'Item 151', 'Item 250']);
  });

  it('refuses counts out of range and anything but numbers with the usage', async () => {
    const feeds = ['/rss.xml'];
    assert.equal(await read(feeds, '0'), 'error: COUNT must be 1 to 100');
    assert.equal(await read(feeds, '101'), 'error: COUNT must be 1 to 100');
    assert.equal(await read(feeds, '20000 5'), 'error: SKIP must be 0 to 10000');
    for (const input of ['a', '1, 2', '1 2 3', '-1']) {
      assert.equal(await read(feeds, input), 'error: usage: .r [[SKIP] COUNT]', input);
    }
  });

  it('cuts each line to LINE_CHARS characters', async () => {
    const line = await read(['/long.xml']);
    assert.equal(Array.from(line).length, LINE_CHARS);
    assert.match(line, /^Long title Long title .* — word word .*…$/);
  });

  it('names each feed that failed, and why, in one line after the items', async () => {
    const dead = await deadPort();
    const started = Date.now();
    const output = await read(
      [
        '/rss.xml',
        '/missing.xml',
        '/not-xml',
        '/page.html',
        '/huge.xml',
        '/slow.xml',
        '/laughs.xml',
        '/loop',
      ],
      '1',
      { timeoutSec: 1, maxBytes: 64 * 1024 },
    );
    const [first, failed, ...rest] = output.split('\n');
    assert.equal(first, MERGED[1]);
    assert.deepEqual(rest, []);
    assert.equal(
      failed,
      'failed: ' +
        [
          `${host}/missing.xml (HTTP 404)`,
          `${host}/not-xml (not XML)`,
          `${host}/page.html (an HTML page, not a feed)`,
          `${host}/huge.xml (larger than 65536 bytes)`,
          `${host}/slow.xml (no answer within 1s)`,
          `${host}/laughs.xml (declares XML entities (refused))`,
          `${host}/loop (more than 5 redirects)`,
        ].join('; '),
    );
    assert.ok(Date.now() - started < 5000, 'the feeds are read at once, each within its limit');
    const refused = await read([], '', { feeds: [`http://127.0.0.1:${dead}/feed`] });
    assert.equal(refused, `error: failed: 127.0.0.1:${dead}/feed (connection refused)`);
  });

  it('refuses an https feed whose certificate it cannot verify, saying so', async () => {
    const cert = await selfSignedCert();
    const tls = createServer(
      { cert: await readFile(cert.cert), key: await readFile(cert.key) },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS_2);
      },
    ).listen(0, '127.0.0.1');
    await once(tls, 'listening');
    const { port } = tls.address() as AddressInfo;
    try {
      assert.equal(
        await read([], '1', { feeds: [`https://127.0.0.1:${port}/feed`] }),
        `error: failed: 127.0.0.1:${port}/feed (TLS certificate refused (DEPTH_ZERO_SELF_SIGNED_CERT))`,
      );
    } finally {
      tls.close();
    }
  });

  it('follows up to 5 redirects', async () => {
    assert.equal(await read(['/redirect/5'], '1'), MERGED[1]);
    assert.equal(
      await read(['/redirect/6'], '1'),
      `error: failed: ${host}/redirect/6 (more than 5 redirects)`,
    );
  });

  it('shows what came in by the command timeout, naming the feeds cut off', async () => {
    const r = await rig(['/rss.xml', '/slow.xml']).run(`${PASSWORD} .r 1`, { timeoutSec: 1 });
    assert.equal(r.error, undefined);
    assert.equal(
      r.output,
      `${MERGED[1]}\nfailed: ${host}/slow.xml (cut off by the command timeout)`,
    );
  });

  it('never shows or logs the query or user of a feed URL, which may hold a token', async () => {
    const secret = 'tok3n-s3cret';
    const t = rig([], { feeds: [`http://me:${secret}@${host}/missing.xml?token=${secret}`] });
    const r = await t.run(`${PASSWORD} .r`);
    assert.equal(r.error?.message, `failed: ${host}/missing.xml (HTTP 404)`);
    assert.ok(!t.logs.join('\n').includes(secret));
  });

  it('is off without feeds, and has no default list of sites', () => {
    assert.equal(rssApp.isConfigured(testConfig({})), false);
    assert.deepEqual(testConfig({}).apps.rss.feeds, []);
    assert.equal(
      rssApp.isConfigured(testConfig({ apps: { rss: { feeds: ['http://x/'] } } })),
      true,
    );
  });
});

describe('.r URL', () => {
  it('is refused unless apps.rss.given.enabled', async () => {
    assert.equal(
      await read(['/rss.xml'], `${server.url}/atom.xml`),
      'error: .r URL is off; set apps.rss.given.enabled to allow it',
    );
  });

  it('reads the given feed instead of the configured ones, with COUNT', async () => {
    const given = { given: { enabled: true, privateAddresses: true } };
    assert.equal(await read(['/rss.xml'], `${server.url}/atom.xml 1`, given), MERGED[0]);
    assert.equal(await read([], `${server.url}/rdf.xml 1 1`, given), 'RDF second');
    assert.equal(
      await read([], '', given),
      'error: no feeds configured (apps.rss.feeds); use .r URL',
    );
    assert.equal(await read([], 'http://[nope 1', given), 'error: not a URL');
    assert.equal(
      await read([], `${server.url}/rss.xml 1 2 3`, given),
      'error: usage: .r [[SKIP] COUNT] or .r URL [[SKIP] COUNT]',
    );
  });

  it('refuses loopback and private addresses unless given.privateAddresses, by IP or by name', async () => {
    const given = { given: { enabled: true, privateAddresses: false } };
    const port = server.url.split(':').at(-1) ?? '';
    for (const url of [`${server.url}/rss.xml`, `http://[::ffff:127.0.0.1]:${port}/rss.xml`]) {
      assert.match(
        await read([], url, given),
        /^error: failed: .* \((127\.0\.0\.1|::ffff:7f00:1) is a private address/,
      );
    }
    assert.match(
      await read([], `http://localhost:${port}/rss.xml`, given),
      /^error: failed: localhost:\d+\/rss.xml \((127\.0\.0\.1|::1) is a private address \(see apps\.rss\.given\.privateAddresses\)\)$/,
    );
    assert.match(
      await read([], 'http://169.254.169.254/latest/meta-data/', given),
      /169\.254\.169\.254 is a private address/,
    );
  });

  it('lets the configured feeds reach loopback: the config, not the caller, chose them', async () => {
    assert.equal(await read(['/rss.xml'], '1', { given: { enabled: true } }), MERGED[1]);
  });
});

describe('apps.rss in the config', () => {
  it('names each bad value by its path', () => {
    const rss = {
      feeds: ['ftp://example.com/feed'],
      timeoutSec: 0,
      maxBytes: 10,
      given: { on: true },
    };
    const result = parseConfig(JSON.stringify({ apps: { rss } }), { env: {}, apps: APPS });
    assert.deepEqual(result.ok ? [] : result.errors, [
      'apps.rss.feeds[0]: must be an http:// or https:// URL',
      'apps.rss.timeoutSec: must be at least 1',
      'apps.rss.maxBytes: must be at least 1024',
      'apps.rss.given.on: unknown key (allowed: enabled, privateAddresses)',
    ]);
  });
});

describe('.r self-test', () => {
  it('passes when every feed reads, and names each one that does not, one per line', async () => {
    const config = (paths: string[]) =>
      testConfig({ apps: { rss: { feeds: paths.map((p) => `${server.url}${p}`) } } });
    await rssApp.selfTest?.(config(['/rss.xml', '/atom.xml']));
    await assert.rejects(
      rssApp.selfTest?.(config(['/rss.xml', '/missing.xml', '/page.html'])) ?? Promise.resolve(),
      {
        message: `${host}/missing.xml (HTTP 404)\n${host}/page.html (an HTML page, not a feed)`,
      },
    );
  });
});
