/**
 * `.r` end to end: the built CLI's `exec` and the http channel of a running daemon read feeds
 * from a local feed server (a process of its own, stopped by its PID), and the daemon's start-up
 * self-test names a feed that fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startFeedServer, type FeedServer } from '@switchboard/core/testing';
import { configDir, RunningDaemon, runCli } from './harness.js';
import { postCommand } from './hostile/http-client.js';

const PASSWORD = 'rss-e2e-password';
let feeds: FeedServer;
before(async () => {
  feeds = await startFeedServer();
});
after(() => feeds.stop());

/** A config whose `.r` reads these paths of the feed server. */
function config(paths: readonly string[], rss: Record<string, unknown> = {}): string {
  return configDir({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    http: { listen: '127.0.0.1:0' },
    apps: { rss: { feeds: paths.map((p) => `${feeds.url}${p}`), ...rss } },
  });
}

describe('.r through switchboard exec', () => {
  it('prints the latest items of RSS, Atom and RDF feeds, newest first', async () => {
    const file = config(['/rss.xml', '/atom.xml', '/rdf.xml']);
    const r = await runCli(['exec', '-c', file, '--', `${PASSWORD} .r 3`]);
    assert.deepEqual(r, {
      code: 0,
      stdout:
        'Release 2.0 <beta> — Faster & smaller\nRates & markets — Prices rose again\nRDF first — From an RDF feed\n',
      stderr: '',
    });
  });

  it('names a failed feed after the items, and fails with the reason when every feed failed', async () => {
    const host = feeds.url.replace('http://', '');
    const some = await runCli([
      'exec',
      '-c',
      config(['/rdf.xml', '/missing.xml']),
      '--',
      `${PASSWORD} .r`,
    ]);
    assert.equal(some.code, 0);
    assert.equal(
      some.stdout,
      `RDF first — From an RDF feed\nRDF second\nfailed: ${host}/missing.xml (HTTP 404)\n`,
    );
    const none = await runCli(['exec', '-c', config(['/not-xml']), '--', `${PASSWORD} .r`]);
    assert.deepEqual([none.code, none.stdout], [1, `failed: ${host}/not-xml (not XML)\n`]);
  });
});

describe('.r through the http channel', () => {
  let daemon: RunningDaemon;
  let url: string;
  before(async () => {
    daemon = new RunningDaemon(config(['/atom.xml', '/page.html'], { given: { enabled: true } }));
    url = await daemon.url();
  });
  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exit();
  });

  it('answers POST /api/command with the items', async () => {
    const answer = await postCommand(url, `${PASSWORD} .r 1`);
    assert.equal(answer.status, 200);
    assert.equal(
      answer.body.output,
      `Release 2.0 <beta> — Faster & smaller\nfailed: ${feeds.url.slice(7)}/page.html (an HTML page, not a feed)`,
    );
  });

  it('reads a given feed, but not from a loopback address', async () => {
    const answer = await postCommand(url, `${PASSWORD} .r ${feeds.url}/rss.xml 1`);
    assert.equal(answer.body.ok, false);
    assert.match(
      answer.body.error ?? '',
      /^failed: .*\/rss\.xml \(127\.0\.0\.1 is a private address/,
    );
  });

  it('logged at start-up which feed failed its self-test, without a crash', async () => {
    const line = await daemon.waitFor((l) => l.msg === 'app self-test failed');
    assert.equal(line.app, '.r');
    assert.equal(line.reason, `${feeds.url.slice(7)}/page.html (an HTML page, not a feed)`);
  });
});
