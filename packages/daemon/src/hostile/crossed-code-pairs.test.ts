/**
 * Issue 10.1: within one 30 s step, the halves of two used pairs from adjacent steps must not
 * cross into a third pair that runs a command of the eavesdropper's choosing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPerSuite, codePair, postCommand } from './http-client.js';

const PASSWORD = 'crossed-pairs-password';

/** The current 30 s step, once at least `marginSec` of it are left (so three requests fit). */
async function stepWithRoom(marginSec: number): Promise<number> {
  for (;;) {
    const now = Date.now() / 1000;
    const left = 30 - (now % 30);
    if (left >= marginSec) return Math.floor(now / 30);
    await new Promise((resolve) => setTimeout(resolve, left * 1000 + 50));
  }
}

describe('hostile: crossed code-pair halves', () => {
  const suite = daemonPerSuite(() => ({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { shell: { unrestricted: true } },
    http: { listen: '127.0.0.1:0' },
  }));

  it('refuses A(s) B(s-1) after A(s-1) B(s-1) and A(s) B(s) were used', async () => {
    const s = await stepWithRoom(10);
    const one = await postCommand(suite.url, `${codePair(PASSWORD, s - 1, s - 1)} .s echo one`);
    const two = await postCommand(suite.url, `${codePair(PASSWORD, s, s)} .s echo two`);
    assert.deepEqual([one.body.output, two.body.output], ['one', 'two']);
    const three = await postCommand(suite.url, `${codePair(PASSWORD, s, s - 1)} .s echo three`);
    assert.equal(three.status, 401);
    assert.equal(three.body.error, 'one-time code already used with a different command');
    assert.notEqual(three.body.output, 'three');
    // The owner's retry of a used pair with its own text still works (SMS sent twice).
    assert.equal(
      (await postCommand(suite.url, `${codePair(PASSWORD, s, s)} .s echo two`)).body.output,
      'two',
    );
  });
});
