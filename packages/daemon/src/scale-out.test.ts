/**
 * Two daemons on one real redis-server (DESIGN §16), from outside: the built CLI as child
 * processes, HTTP on loopback ports, Telegram polling a local fake Bot API (each daemon through
 * its own path prefix, so the fake tells them apart).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pairSecrets } from '@switchboard/core';
import { codeOfBytes, RedisServer, stepAt, waitFor } from '@switchboard/core/testing';
import { configDir, fakeBotApi, RunningDaemon, writeConfig, type BotApiCall } from './harness.js';

const PASSWORD = 'scale-out-password';
const TOKEN = '123456:scale-out-token';
const GUESSER = '198.51.100.7';

interface Answer {
  readonly status: number;
  readonly ok: boolean;
  readonly output: string;
  readonly error: string | null;
}

/** POSTs a command to a daemon's JSON API, from `source` (a proxy-forwarded address) if set. */
async function ask(url: string, command: string, source?: string): Promise<Answer> {
  const res = await fetch(`${url}/api/command`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(source === undefined ? {} : { 'x-forwarded-for': source }),
    },
    body: JSON.stringify({ command }),
  });
  return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
}

/** A code pair of PASSWORD: half A of step `a`, half B of step `b` (both must be valid now). */
function pair(a: number, b: number): string {
  const { a: secretA, b: secretB } = pairSecrets(PASSWORD);
  const step = stepAt(Date.now());
  return codeOfBytes(secretA, step + a) + codeOfBytes(secretB, step + b);
}

async function health(url: string): Promise<unknown> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { status: unknown }).status;
}

describe('two daemons on one Redis', () => {
  const calls: BotApiCall[] = [];
  const botApi = fakeBotApi([], '', calls);
  let redis: RedisServer;
  const daemons: RunningDaemon[] = [];
  const urls: string[] = [];
  const configs: string[] = [];

  /** Starts daemon `i` (again) on its config; resolves once its channels listen. */
  async function start(i: number): Promise<void> {
    const daemon = new RunningDaemon(configs[i] ?? '');
    daemons[i] = daemon;
    urls[i] = await daemon.url();
    await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'telegram');
  }

  /** Which daemons have polled getUpdates (by index), since call `from`. */
  const pollers = (from = 0): number[] =>
    [0, 1].filter((i) =>
      calls.slice(from).some((c) => c.method === 'getUpdates' && c.prefix === `/d${String(i)}`),
    );

  let apiPort = 0;
  /** Daemon `i`'s config: the same for both, but the path to the fake Bot API. */
  const configOf = (i: number, state: unknown = { store: 'redis', redis: { url: redis.url } }) => ({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { shell: { unrestricted: true } },
    limits: { failedLoginsBeforeBan: 4 },
    state,
    http: {
      listen: '127.0.0.1:0',
      trustProxy: ['loopback'],
      rateLimit: { requests: 100, perSec: 1 },
    },
    telegram: { token: TOKEN, apiRoot: `http://127.0.0.1:${String(apiPort)}/d${String(i)}` },
  });

  before(async () => {
    redis = await RedisServer.start();
    botApi.listen(0, '127.0.0.1');
    await once(botApi, 'listening');
    apiPort = (botApi.address() as AddressInfo).port;
    for (const i of [0, 1]) configs[i] = configDir(configOf(i));
    await Promise.all([start(0), start(1)]);
  });

  after(async () => {
    for (const daemon of daemons) {
      if (daemon.child.exitCode !== null || daemon.exitSignal !== null) continue;
      daemon.child.kill('SIGTERM');
      assert.equal(await daemon.exit(), 0);
    }
    botApi.closeAllConnections();
    botApi.close();
    await redis.stop();
  });

  it('bans guesses alternated between them after failedLoginsBeforeBan in total, on both', async () => {
    const [a = '', b = ''] = urls;
    const guesses = [];
    for (let i = 0; i < 4; i++)
      guesses.push((await ask(i % 2 ? b : a, 'wrong .s true', GUESSER)).status);
    assert.deepEqual(guesses, [401, 401, 401, 401]);
    assert.equal((await ask(a, `${PASSWORD} .s true`, GUESSER)).error, 'banned');
    assert.equal((await ask(b, `${PASSWORD} .s true`, GUESSER)).error, 'banned');
    const bans = await ask(b, `${PASSWORD} .e bans`);
    assert.match(bans.output, new RegExp(GUESSER.replace(/\./g, '\\.')));
  });

  it('lifts the ban on both with .e unban on one', async () => {
    const [a = '', b = ''] = urls;
    const unban = await ask(a, `${PASSWORD} .e unban ${GUESSER}`);
    assert.equal(unban.ok, true, unban.error ?? '');
    assert.equal((await ask(b, `${PASSWORD} .s echo free`, GUESSER)).output, 'free');
    assert.equal((await ask(a, `${PASSWORD} .s echo free`, GUESSER)).output, 'free');
  });

  it('refuses on B a code pair used on A for another command, and a half of it reused', async () => {
    const [a = '', b = ''] = urls;
    const used = pair(0, 0);
    assert.equal((await ask(a, `${used}.s echo one`)).output, 'one');
    const other = await ask(b, `${used}.s echo two`);
    assert.deepEqual(
      [other.status, other.error],
      [401, 'one-time code already used with a different command'],
    );
    // The same text may repeat while the pair is valid (retries over SMS), on either instance.
    assert.equal((await ask(b, `${used}.s echo one`)).output, 'one');
    // Half A of the used pair with another valid half B.
    const recombined = await ask(b, `${pair(0, -1)}.s echo two`);
    assert.equal(recombined.error, 'one-time code already used with a different command');
  });

  it('has exactly one of them poll Telegram, and the other take over when it is killed', async () => {
    await waitFor('a poller', () => pollers().length > 0);
    const [holder = -1] = pollers();
    const other = 1 - holder;
    await daemons[other]?.waitFor((l) => String(l.msg).includes('standing by'));
    assert.deepEqual(pollers(), [holder]);

    const mark = calls.length;
    daemons[holder]?.child.kill('SIGKILL');
    await daemons[holder]?.exit();
    await daemons[other]?.waitFor((l) => String(l.msg).includes('took over polling'));
    await waitFor('the other to poll', () => pollers(mark).includes(other));

    // Back again, the killed one stands by: the lease is the other's now.
    const since = calls.length;
    await start(holder);
    await daemons[holder]?.waitFor((l) => String(l.msg).includes('standing by'));
    await waitFor('the other to poll on', () => pollers(since).includes(other));
    assert.deepEqual(pollers(since), [other]);
  });

  it('runs degraded while Redis is down: passwords work, code pairs are refused', async () => {
    const [a = '', b = ''] = urls;
    const marks = daemons.map((d) => d.lines.length);
    await redis.stop();
    for (const [i, daemon] of daemons.entries()) {
      await daemon.waitFor((l) => String(l.msg).includes('redis unreachable'), marks[i]);
    }
    assert.deepEqual([await health(a), await health(b)], ['degraded', 'degraded']);
    assert.equal((await ask(a, `${PASSWORD} .s echo alone`)).output, 'alone');
    const coded = await ask(b, `${pair(0, 1)}.s echo coded`);
    assert.deepEqual(
      [coded.status, coded.error],
      [503, 'one-time codes are unavailable right now; use the password'],
    );
    // Limits go on, in memory: a guesser is still banned.
    for (let i = 0; i < 4; i++) await ask(a, 'wrong .s true', '203.0.113.9');
    assert.equal((await ask(a, `${PASSWORD} .s true`, '203.0.113.9')).error, 'banned');
    for (const [i, daemon] of daemons.entries()) {
      const warnings = daemon.lines
        .slice(marks[i])
        .filter((l) => String(l.msg).includes('redis unreachable'));
      assert.equal(warnings.length, 1, 'one warning per outage');
    }
  });

  it('recovers without a restart once Redis is back', async () => {
    const [a = '', b = ''] = urls;
    const marks = daemons.map((d) => d.lines.length);
    await redis.start();
    for (const [i, daemon] of daemons.entries()) {
      await daemon.waitFor((l) => String(l.msg).includes('redis reachable again'), marks[i]);
    }
    assert.deepEqual([await health(a), await health(b)], ['ok', 'ok']);
    assert.equal((await ask(b, `${pair(1, 1)}.s echo coded`)).output, 'coded');
    const replayed = await ask(a, `${pair(1, 1)}.s echo other`);
    assert.equal(replayed.error, 'one-time code already used with a different command');
  });

  it('locks both down with .e lock on one', async () => {
    const [a = '', b = ''] = urls;
    const mark = daemons[1]?.lines.length ?? 0;
    assert.equal((await ask(a, `${PASSWORD} .e lock`)).ok, true);
    await daemons[1]?.waitFor((l) => l.msg === 'lockdown on (set on another instance)', mark);
    const refused = await ask(b, `${PASSWORD} .s echo hi`);
    assert.deepEqual([refused.status, refused.error], [503, 'LOCKED DOWN']);
  });

  it('keeps its store across a reload that changes state, and says so', async () => {
    const [daemon] = daemons;
    const mark = daemon?.lines.length ?? 0;
    writeConfig(configs[0] ?? '', configOf(0, { store: 'memory' }));
    await daemon?.waitFor((l) => l.msg === 'config reloaded', mark);
    const said = daemon?.lines.slice(mark).some((l) => String(l.msg).startsWith('state changed'));
    assert.equal(said, true);
    // Still on the shared store, so still locked down.
    assert.equal((await ask(urls[0] ?? '', `${PASSWORD} .s echo hi`)).error, 'LOCKED DOWN');
  });
});
