/**
 * Issue 10.3: a flood of guesses, from one source or from thousands, must not starve the owner.
 * The ban comes before any budget is spent, and a share of the global budget is kept for sources
 * that authenticated before. Counted in answers, not time: of the owner's 30 commands sent during
 * the flood, at least 29 must run.
 *
 * The global limit is 200/s here (default 1000) so that a loopback client on a 2-core machine
 * outruns it for sure; the per-source limit is 50/s, so the owner's own pace never hits it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPerSuite, pool, postCommand } from './http-client.js';

const PASSWORD = 'flood-owner-password';
const OWNER = '203.0.113.7';
const OWNER_COMMANDS = 30;

/** Sends `guesses` from `sourceOf(i)` while the owner sends its commands; the owner's results. */
async function ownerDuringFlood(
  url: string,
  guesses: number,
  sourceOf: (i: number) => string,
): Promise<{ ok: number; statuses: number[] }> {
  const statuses: number[] = [];
  const flood = { running: true };
  const owner = (async () => {
    while (flood.running && statuses.length < OWNER_COMMANDS) {
      const answer = await postCommand(url, `${PASSWORD} .s echo owner`, {
        'x-forwarded-for': OWNER,
      });
      statuses.push(answer.status);
      // The owner's pace: well under the per-source limit, so only the flood can refuse it.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  let sent = 0;
  await pool(guesses, 16, async (i) => {
    sent++;
    await postCommand(url, `guess${String(i)} .s id`, { 'x-forwarded-for': sourceOf(i) });
  });
  flood.running = false;
  await owner;
  assert.equal(sent, guesses);
  return { ok: statuses.filter((s) => s === 200).length, statuses };
}

describe('hostile: the owner during a flood of guesses', () => {
  const suite = daemonPerSuite(
    () => ({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { shell: { unrestricted: true } },
      limits: { commandsPerSecond: 200 },
      http: {
        listen: '127.0.0.1:0',
        trustProxy: ['loopback'],
        rateLimit: { requests: 50, perSec: 1 },
      },
    }),
    async (suite) => {
      // The owner has logged in before: it is a known source.
      const hello = await postCommand(suite.url, `${PASSWORD} .s echo hello`, {
        'x-forwarded-for': OWNER,
      });
      assert.equal(hello.status, 200);
    },
  );

  it('10,000 guesses from one source: banned at the 5th, the owner is served', async (t) => {
    const result = await ownerDuringFlood(suite.url, 10_000, () => '198.51.100.1');
    assert.equal(result.statuses.length, OWNER_COMMANDS, 'the flood outlasted the owner');
    t.diagnostic(`owner served ${String(result.ok)} of ${String(OWNER_COMMANDS)}`);
    assert.ok(result.ok >= 29, `owner: ${JSON.stringify(result.statuses)}`);
  });

  it('2,000 sources × 5 guesses: the owner is served from the reserved share', async (t) => {
    // Source i%2000 makes guesses i, i+2000, ...: five each, the flood's usual shape.
    const source = (i: number) => `10.${(i % 2000) >> 8}.${(i % 2000) & 255}.9`;
    const result = await ownerDuringFlood(suite.url, 10_000, source);
    assert.equal(result.statuses.length, OWNER_COMMANDS, 'the flood outlasted the owner');
    t.diagnostic(`owner served ${String(result.ok)} of ${String(OWNER_COMMANDS)}`);
    assert.ok(result.ok >= 29, `owner: ${JSON.stringify(result.statuses)}`);
  });
});
