/**
 * `.i` end to end (issue 14): the built CLI's `exec` and a running daemon's http channel read
 * a real dovecot on loopback (started here, stopped by PID). The account's password comes from
 * the environment and its CA file sits beside the config file, named relatively.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DovecotServer } from '@switchboard/core/testing';
import { configDir, RunningDaemon, runCli } from './harness.js';
import { postCommand } from './hostile/http-client.js';

const PASSWORD = 'imap-e2e-password';
const MAIL_PASSWORD = 'mail pass "9d1e"';
const WRONG_PASSWORD = 'wrong-mail-pass-41b7';

const INBOX = [
  'From: Ann <ann@example.com>\r\nSubject: Lunch?\r\n\r\nAt noon.\r\n',
  [
    'From: =?UTF-8?Q?Bj=C3=B6rn?= <bjorn@example.org>',
    'Subject: =?UTF-8?Q?Caf=C3=A9?=',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Caf=E9 at 8.',
    '',
  ].join('\r\n'),
];

describe('.i through exec and the http channel', () => {
  let dovecot: DovecotServer;
  let config: string;
  const env = { IMAP_PASSWORD: MAIL_PASSWORD };

  before(async () => {
    dovecot = await DovecotServer.start({ alice: { password: MAIL_PASSWORD, messages: INBOX } });
    const account = { host: '127.0.0.1', port: dovecot.imapsPort, user: 'alice', ca: 'ca.pem' };
    config = configDir({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      http: { listen: '127.0.0.1:0' },
      apps: {
        imap: {
          accounts: {
            'work-mail': { ...account, password: '${IMAP_PASSWORD}' },
            wrong: { ...account, password: WRONG_PASSWORD },
          },
        },
      },
    });
    copyFileSync(dovecot.caPath, join(dirname(config), 'ca.pem'));
  });
  after(() => dovecot.stop());

  const exec = (command: string) =>
    runCli(['exec', '-c', config, '--', `${PASSWORD} ${command}`], { env });

  it('lists and reads with switchboard exec', async () => {
    assert.deepEqual(await exec('.il work-mail 0 10'), {
      code: 0,
      stdout: '2 bjorn@example.org Café\n1 ann@example.com Lunch?\n',
      stderr: '',
    });
    assert.deepEqual(await exec('.ir work-mail 2'), {
      code: 0,
      stdout: 'Café at 8.\n',
      stderr: '',
    });
  });

  it('prints a refused login as one line and exits 1, without the password', async () => {
    const r = await exec('.il wrong 0 1');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^wrong: 127\.0\.0\.1 refused the login \([^\n]*\)\n$/);
    assert.equal(`${r.stdout}${r.stderr}`.includes(WRONG_PASSWORD), false);
  });

  it('answers POST /api/command, and logs no password from the self-test or the commands', async () => {
    const daemon = new RunningDaemon(config, { env });
    try {
      const url = await daemon.url();
      const listed = await postCommand(url, `${PASSWORD} .il work-mail 1 5`);
      assert.deepEqual(listed.body, {
        ok: true,
        output: '1 ann@example.com Lunch?',
        error: null,
      });
      const refused = await postCommand(url, `${PASSWORD} .il wrong 0 1`);
      assert.equal(refused.status, 200);
      assert.match(refused.body.error ?? '', /^wrong: 127\.0\.0\.1 refused the login/);
      const selfTest = await daemon.waitFor((l) => l.msg === 'app self-test failed');
      assert.match(String(selfTest.reason), /^imap: wrong: 127\.0\.0\.1 refused the login/);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
    const log = `${JSON.stringify(daemon.lines)}${daemon.stderr}`;
    for (const secret of [MAIL_PASSWORD, WRONG_PASSWORD]) {
      assert.equal(log.includes(secret), false, `the log has ${secret}`);
    }
  });
});
