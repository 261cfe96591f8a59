/**
 * `/metrics` (DESIGN §13): Prometheus text that passes `promtool check metrics` (Debian's
 * prometheus package, a checker nobody here wrote), whose counters move as commands run; off by
 * default; behind a Bearer key stored as SHA-256, where a wrong key is a failed login.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { curl } from '@switchboard/core/testing';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { namedCommandsConfig, PASSWORD } from './support.js';

const SCRAPER = 'sbk_scraper-key-for-tests-0123456789';

/** promtool's verdict on `text`: its exit status and what it said. */
function promtool(text: string): Promise<{ code: number; said: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), said: stdout + stderr });
    });
    child.stdin?.end(text);
  });
}

/** The value of the sample `series` (name with labels, as written) in `text`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  const suite = daemonPerSuite(() =>
    namedCommandsConfig({
      http: {
        listen: '127.0.0.1:0',
        trustProxy: ['127.0.0.1'],
        metrics: { enabled: true, bearer: createHash('sha256').update(SCRAPER).digest('hex') },
      },
    }),
  );
  const scrape = async (
    key = SCRAPER,
    from = '192.0.2.200',
  ): Promise<{ status: number; body: string }> =>
    curl([
      '-H',
      `Authorization: Bearer ${key}`,
      '-H',
      `X-Forwarded-For: ${from}`,
      `${suite.url}/metrics`,
    ]);

  it('passes promtool check metrics, with the series DESIGN §13 names', async () => {
    await postCommand(suite.url, `${PASSWORD} .x disk`, { 'x-forwarded-for': '192.0.2.201' });
    const { status, body } = await scrape();
    assert.equal(status, 200);
    const verdict = await promtool(body);
    assert.equal(verdict.code, 0, verdict.said);
    for (const name of [
      'switchboard_commands_total',
      'switchboard_command_duration_seconds',
      'switchboard_failed_logins_total',
      'switchboard_bans',
      'switchboard_outbox_messages',
      'process_resident_memory_bytes',
    ]) {
      assert.match(body, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
  });

  it('moves its counters as commands run and logins fail', async () => {
    const before = (await scrape()).body;
    const ok = 'switchboard_commands_total{channel="http",result="ok"}';
    const wrong = 'switchboard_commands_total{channel="http",result="INVALID_LOGIN"}';
    const failed = 'switchboard_failed_logins_total{channel="http"}';
    const count = 'switchboard_command_duration_seconds_count{channel="http"}';
    await postCommand(suite.url, `${PASSWORD} .x disk`, { 'x-forwarded-for': '192.0.2.202' });
    await postCommand(suite.url, `${PASSWORD} .x disk`, { 'x-forwarded-for': '192.0.2.202' });
    await postCommand(suite.url, 'nope .x disk', { 'x-forwarded-for': '192.0.2.203' });
    const after = (await scrape()).body;
    assert.equal(sample(after, ok) - sample(before, ok), 2);
    assert.equal(sample(after, wrong) - sample(before, wrong), 1);
    assert.equal(sample(after, failed) - sample(before, failed), 1);
    assert.equal(sample(after, count) - sample(before, count), 3);
  });

  it('wants its key: a wrong one is a failed login, banned after five', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await scrape(`sbk_guess${i}`, '198.51.100.9')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
    // Banned now: even the right key is refused from there.
    assert.equal((await scrape(SCRAPER, '198.51.100.9')).status, 401);
    assert.equal((await curl([`${suite.url}/metrics`])).status, 401);
    const bans = sample((await scrape()).body, 'switchboard_bans');
    assert.ok(bans >= 1, `bans ${bans}`);
  });
});

describe('/metrics by default', () => {
  const suite = daemonPerSuite(() => namedCommandsConfig());
  it('is not there', async () => {
    assert.equal((await curl([`${suite.url}/metrics`])).status, 404);
  });
});
