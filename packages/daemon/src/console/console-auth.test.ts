/**
 * The console's logins and sessions against the real daemon (DESIGN §13): a password or an
 * API key that may use `.e`; failed logins banned like the API's; every change needs the CSRF
 * token; a session ends with logout, and with the credential it was opened with.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postCommand, daemonPerSuite } from '../hostile/http-client.js';
import { curl, selfSignedCert } from '@switchboard/core/testing';
import { RunningDaemon, configDir, writeConfig } from '../harness.js';
import { ADMIN_KEY, NAMED_KEY, PASSWORD, call, consoleConfig, login, session } from './support.js';

describe('console logins', () => {
  const suite = daemonPerSuite(() => consoleConfig());

  it('opens a session with the password: HttpOnly, SameSite=Strict, the base path, no Secure on plain HTTP', async () => {
    const answer = await login(suite.url, PASSWORD);
    assert.equal(answer.status, 200);
    assert.match(answer.body.csrf ?? '', /^[A-Za-z0-9_-]{43}$/);
    const attributes = answer.cookie.split(/; */).slice(1).sort();
    assert.deepEqual(attributes, ['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Strict']);
    const state = await call(suite.url, 'state', await session(suite.url));
    assert.equal(state.status, 200);
  });

  it('opens a session with an API key whose apps include .e, and refuses one without', async () => {
    assert.equal((await login(suite.url, ADMIN_KEY)).status, 200);
    const named = await login(suite.url, NAMED_KEY);
    assert.equal(named.status, 403);
    assert.equal(named.body.error, 'not permitted');
  });

  it('refuses a shortcut or the password with more after it, as a failed login', async () => {
    for (const credential of ['up', `${PASSWORD} .s id`]) {
      const answer = await login(suite.url, credential, '198.51.100.20');
      assert.equal(answer.status, 401, credential);
      assert.equal(answer.cookie, '');
    }
  });

  it('bans a source after repeated failed console logins, for the API too', async () => {
    const source = '198.51.100.21';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await login(suite.url, `guess ${i}`, source)).status);
    assert.deepEqual(statuses, [401, 401, 401, 403]);
    const right = await login(suite.url, PASSWORD, source);
    assert.equal(right.status, 403);
    const api = await postCommand(suite.url, `${PASSWORD} .s id`, { 'x-forwarded-for': source });
    assert.equal(api.status, 403);
    const line = suite.daemon.lines.find((l) => JSON.stringify(l).includes('guess'));
    assert.equal(line, undefined, 'a guessed password reached the log');
  });

  it('refuses every change without the CSRF token, and with a wrong one', async () => {
    const s = await session(suite.url);
    const missing = await call(suite.url, 'maintenance', s, { body: { on: true }, csrf: false });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.error, 'missing or wrong CSRF token');
    const wrong = await call(
      suite.url,
      'maintenance',
      { ...s, csrf: 'x'.repeat(43) },
      { body: { on: true } },
    );
    assert.equal(wrong.status, 403);
    for (const route of ['unban', 'lockdown', 'command', 'logout']) {
      const refused = await call(suite.url, route, s, { body: {}, csrf: false });
      assert.equal(refused.status, 403, route);
    }
    const state = await call(suite.url, 'state', s);
    assert.equal((state.body.status as { maintenance: boolean }).maintenance, false);
  });

  it('answers 401 without a session, and after logout', async () => {
    const s = await session(suite.url);
    assert.equal((await call(suite.url, 'logout', s, { body: {} })).status, 204);
    const after = await call(suite.url, 'state', s);
    assert.equal(after.status, 401);
    assert.equal(after.body.error, 'not logged in');
    const none = await call(suite.url, 'state', { cookie: 'sb_console=forged', csrf: '' });
    assert.equal(none.status, 401);
  });
});

describe('a console session across a password change', () => {
  it('stops working once the reload puts the new password in force', async () => {
    const path = configDir(consoleConfig());
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      const before = await session(url);
      const mark = daemon.lines.length;
      writeConfig(path, consoleConfig('the-new-console-password'));
      await daemon.waitFor((l) => l.msg === 'config reloaded', mark);
      assert.equal((await call(url, 'state', before)).status, 401);
      assert.equal((await login(url, PASSWORD)).status, 401);
      const after = await session(url, 'the-new-console-password');
      assert.equal((await call(url, 'state', after)).status, 200);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });
});

describe('console logins over TLS', () => {
  const suite = daemonPerSuite(async () => {
    const { cert, key } = await selfSignedCert();
    const config = consoleConfig();
    return { ...config, http: { ...(config.http as object), tls: { cert, key } } };
  });

  it('marks the session cookie Secure', async () => {
    const answer = await curl([
      ...['-k', '-D', '-', '-H', 'content-type: application/json'],
      ...['-d', JSON.stringify({ credential: PASSWORD }), `${suite.url}/console/login`],
    ]);
    assert.equal(answer.status, 200);
    const cookie = /^set-cookie: (.*)$/im.exec(answer.body)?.[1]?.trim() ?? '';
    assert.deepEqual(cookie.split(/; */).slice(1).sort(), [
      'HttpOnly',
      'Max-Age=28800',
      'Path=/',
      'SameSite=Strict',
      'Secure',
    ]);
  });
});
