/**
 * Issue 10.6: a NUL (or any control character but tab, CR and LF) in a command is refused as
 * `INVALID_TEXT` with 400 on the API and the form; no library's error text reaches the user.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPerSuite, postCommand } from './http-client.js';

const PASSWORD = 'control-chars-password';
const INVALID = 'command is not valid text (invalid UTF-8 or a control character)';

describe('hostile: control characters in a command', () => {
  const suite = daemonPerSuite(() => ({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { shell: { unrestricted: true } },
    http: { listen: '127.0.0.1:0', rateLimit: { requests: 1000, perSec: 1 } },
  }));

  it('answers 400 INVALID_TEXT on the API for NUL, ESC, DEL and C1', async () => {
    for (const control of ['\u0000', '\u001b', '\u007f', '\u0085', '\u0008']) {
      const answer = await postCommand(suite.url, `${PASSWORD} .s echo a${control}b`);
      assert.equal(answer.status, 400, JSON.stringify(control));
      assert.deepEqual(answer.body, { ok: false, output: '', error: INVALID });
    }
  });

  it('answers 400 on the form, with our text and nothing of Node', async () => {
    const res = await fetch(`${suite.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `cmd=${encodeURIComponent(`${PASSWORD} .s echo a\u0000b`)}`,
    });
    const page = await res.text();
    assert.equal(res.status, 400);
    assert.ok(page.includes(INVALID), page);
    assert.doesNotMatch(page, /null bytes|ERR_|args\[/);
  });

  it('still runs text with tabs and line breaks', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .s printf 'a\\tb'\r\n`);
    assert.equal(answer.status, 200);
    assert.match(answer.body.output ?? '', /^a\s+b$/);
  });
});
