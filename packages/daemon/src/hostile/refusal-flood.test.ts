/**
 * Issue 10.7: 500 forged Twilio requests (no signature) must not write 500 warnings to the log
 * and to `.e warn`: refusal warnings are capped in one place, one line a minute per kind, with
 * the count.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPerSuite, pool, postCommand } from './http-client.js';

const PASSWORD = 'refusal-flood-password';

describe('hostile: a flood of forged Twilio requests', () => {
  const suite = daemonPerSuite(() => ({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    http: { listen: '127.0.0.1:0' },
    twilio: { authToken: 'refusal-flood-token', publicUrl: 'https://sb.example.com' },
  }));

  it('answers every one 403 and logs one warning with the count', async () => {
    const statuses = new Set<number>();
    await pool(500, 8, async (i) => {
      const res = await fetch(`${suite.url}/twilio/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `From=%2B1555000${String(i)}&Body=${PASSWORD}+.e+info`,
      });
      statuses.add(res.status);
      await res.arrayBuffer();
    });
    assert.deepEqual([...statuses], [403]);
    const warnings = suite.daemon.lines.filter((l) => l.level === 40 && l.channel === 'twilio');
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    const [warning] = warnings;
    assert.ok(warning);
    assert.equal(warning.msg, 'twilio request refused: invalid signature');
    assert.equal(warning.refused, 1);
    const warn = await postCommand(suite.url, `${PASSWORD} .e warn`);
    assert.equal((warn.body.output ?? '').match(/invalid signature/g)?.length, 1, warn.body.output);
  });
});
