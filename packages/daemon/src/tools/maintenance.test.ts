/**
 * Maintenance (DESIGN §12, MocaCommands' turn-on/turn-off): while on, every channel refuses
 * everyone but `maintenance.allow` with `under maintenance` (HTTP 503, SMTP 421); /healthz stays
 * open. `.e maintenance on|off` toggles it at run time, and a reload that edits
 * `maintenance.enabled` applies the owner's new word.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configDir, runCli, writeConfig } from '../harness.js';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { smtpGreeting } from '../hostile/support.js';

const PASSWORD = 'maintenance-password';
const ADMIN = '203.0.113.9';
const VISITOR = '198.51.100.20';

const config = (enabled: boolean): Record<string, unknown> => ({
  filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
  apps: { shell: { unrestricted: true } },
  maintenance: { enabled, allow: [ADMIN, '2001:db8::/32'] },
  http: { listen: '127.0.0.1:0', trustProxy: ['127.0.0.1'] },
  smtp: { listen: '127.0.0.1:0', myDomains: ['sb.test'] },
});

const from = (source: string): Record<string, string> => ({ 'x-forwarded-for': source });

describe('maintenance', () => {
  const suite = daemonPerSuite(() => config(true));

  it('refuses a visitor with 503 under maintenance and runs nothing', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .s echo ran`, from(VISITOR));
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body, { ok: false, output: '', error: 'under maintenance' });
    const page = await fetch(`${suite.url}/`, { headers: from(VISITOR) });
    assert.equal(page.status, 503);
    assert.equal(await page.text(), 'under maintenance');
  });

  it('keeps /healthz open', async () => {
    const health = await fetch(`${suite.url}/healthz`, { headers: from(VISITOR) });
    assert.equal(health.status, 200);
  });

  it('lets the allowed sources through, an address and a range', async () => {
    for (const source of [ADMIN, '2001:db8::7']) {
      const answer = await postCommand(suite.url, `${PASSWORD} .s echo ran`, from(source));
      assert.deepEqual(answer.body, { ok: true, output: 'ran', error: null }, source);
    }
  });

  it('answers SMTP with 421 at the greeting', async () => {
    const smtp = await suite.daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
    const port = Number(String(smtp.address).split(':').at(-1));
    // The SMTP client connects from 127.0.0.1, which maintenance.allow does not list.
    assert.equal(await smtpGreeting(port), '421 4.3.2 under maintenance, try again later');
  });

  it('is switched off and on with .e maintenance from an allowed source', async () => {
    const off = await postCommand(suite.url, `${PASSWORD} .e maintenance off`, from(ADMIN));
    assert.equal(off.body.output, 'OK - maintenance off');
    const visitor = await postCommand(suite.url, `${PASSWORD} .s echo ran`, from(VISITOR));
    assert.deepEqual(visitor.body, { ok: true, output: 'ran', error: null });
    const shown = await postCommand(suite.url, `${PASSWORD} .e maintenance`, from(VISITOR));
    assert.equal(shown.body.output, 'maintenance is off');
    const on = await postCommand(suite.url, `${PASSWORD} .e maintenance on`, from(VISITOR));
    assert.match(on.body.output ?? '', /^OK - maintenance on/);
    assert.equal((await postCommand(suite.url, `${PASSWORD} .s id`, from(VISITOR))).status, 503);
    const bad = await postCommand(suite.url, `${PASSWORD} .e maintenance maybe`, from(ADMIN));
    assert.equal(bad.body.error, 'usage: .e maintenance [on|off]');
  });

  it('follows an edit of maintenance.enabled on reload', async () => {
    const mark = suite.daemon.lines.length;
    writeConfig(suite.daemon.configPath, config(false));
    await suite.daemon.waitFor((l) => l.msg === 'config reloaded', mark);
    const visitor = await postCommand(suite.url, `${PASSWORD} .s echo ran`, from(VISITOR));
    assert.deepEqual(visitor.body, { ok: true, output: 'ran', error: null });
  });
});

describe('maintenance config', () => {
  it('names a maintenance.allow entry that is not a source', async () => {
    const path = configDir({
      ...config(true),
      maintenance: { allow: ['10.0.0.0/33', 'localhost'] },
    });
    const run = await runCli(['check', '-c', path]);
    assert.equal(run.code, 1);
    const expect =
      'must be an IP address, a CIDR range, a phone number (+15551234567) or a Telegram chat id';
    assert.ok(run.stderr.includes(`maintenance.allow[0]: ${expect}`), run.stderr);
    assert.ok(run.stderr.includes(`maintenance.allow[1]: ${expect}`), run.stderr);
  });
});
