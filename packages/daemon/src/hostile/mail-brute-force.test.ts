/**
 * Issue 10.2: guessing passwords by mail is bounded like on every other channel. A command mail
 * with a wrong password is a failed login of the connecting IP, is not forwarded and gets no
 * reply; after `failedLoginsBeforeBan` the IP is refused at connection, even with the right
 * password. Other IPs, and the owner's ordinary mail, are unaffected. Driven with swaks from
 * distinct loopback addresses (127.0.0.0/8 is all local on Linux).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startMailSink, waitFor, type MailSink } from '@switchboard/core/testing';
import { configDir, RunningDaemon } from '../harness.js';

const PASSWORD = 'mail-brute-force-password';

/** One mail sent with swaks from local address `from`; swaks' transcript. */
function swaks(port: number, from: string, subject: string, body: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'swaks',
      [
        ...['--server', '127.0.0.1', '--port', String(port), '--local-interface', from],
        ...['--from', 'someone@elsewhere.test', '--to', 'cmd@sb.test'],
        ...['--header', `Subject: ${subject}`, '--body', body],
      ],
      // swaks exits non-zero when the server refuses; the transcript says how.
      (_error, stdout, stderr) => {
        resolve(stdout + stderr);
      },
    );
  });
}

describe('hostile: guessing passwords by mail', () => {
  let relay: MailSink;
  let daemon: RunningDaemon;
  let port = 0;

  before(async () => {
    relay = await startMailSink();
    daemon = new RunningDaemon(
      configDir({
        filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
        apps: { shell: { unrestricted: true } },
        mail: { smtp: { host: '127.0.0.1', port: relay.port }, from: 'sb@sb.test' },
        smtp: {
          listen: '127.0.0.1:0',
          myDomains: ['sb.test'],
          forwardTo: ['owner@home.test'],
          rateLimit: { requests: 100, perSec: 1 },
        },
      }),
    );
    const smtp = await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
    port = Number(/:(\d+)$/.exec(String(smtp.address))?.[1]);
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exit();
    await relay.close();
  });

  it('bans the guessing IP after 5 wrong passwords; the right one then gets 421 too', async () => {
    const guesser = '127.0.0.2';
    for (let i = 1; i <= 5; i++) {
      const transcript = await swaks(port, guesser, `guess ${i}`, `guess-number-${i} .s id`);
      assert.match(transcript, /250 2\.0\.0 OK, taken as a command/);
      // The command runs after the 250: wait until it has counted.
      await waitFor(
        `failed login ${i}`,
        () =>
          daemon.lines.filter((l) => l.msg === 'command' && l.error === 'INVALID_LOGIN').length ===
          i,
      );
    }
    const right = await swaks(port, guesser, 'the right one', `${PASSWORD} .s echo got in`);
    assert.match(right, /421 4\.7\.1 banned/);
  });

  it('still answers the owner from another IP, and forwards ordinary mail', async () => {
    await swaks(port, '127.0.0.3', 'from the owner', `${PASSWORD} .s echo owner here`);
    await swaks(port, '127.0.0.3', 'just a note', 'Lunch at noon? See example.com for the place.');
    await waitFor('the reply and the forward', () =>
      ['Subject: Re: from the owner', 'Subject: just a note'].every((s) =>
        relay.received.some((m) => m.includes(s)),
      ),
    );
    assert.ok(relay.received.some((m) => m.includes('owner here')));
    // The guesses were queued (if at all) before these two: nothing of them reached anyone.
    assert.deepEqual(
      relay.received.filter((m) => /guess|got in/.test(m)),
      [],
    );
  });
});
