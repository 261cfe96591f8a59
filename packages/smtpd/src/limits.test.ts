import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { startRig, swaks, type Rig } from './harness.js';

/**
 * A bare SMTP dialogue on one connection (swaks sends one message per connection): sends each
 * line and collects the server's reply to it.
 */
async function dialogue(port: number, lines: readonly string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const wake of waiters.splice(0)) wake();
  };
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    wakeAll();
  });
  socket.on('close', wakeAll);
  /** The next complete reply: lines up to one whose code is followed by a space. */
  const nextReply = async (): Promise<string> => {
    for (;;) {
      const end = /^\d{3} .*\r\n/m.exec(buffer);
      if (end !== null) {
        const reply = buffer.slice(0, end.index + end[0].length);
        buffer = buffer.slice(reply.length);
        return reply.trimEnd();
      }
      if (socket.closed) return '(closed)';
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
      });
    }
  };
  const replies = [await nextReply()];
  for (const line of lines) {
    socket.write(`${line}\r\n`);
    replies.push(await nextReply());
  }
  socket.destroy();
  return replies;
}

describe('per-IP limits', () => {
  const rigs: Rig[] = [];
  after(async () => {
    await Promise.all(rigs.map((rig) => rig.close()));
  });

  it('refuse a connection over the rate with 421 4.7.0 and close it', async () => {
    const rig = await startRig({ relayPort: 9, smtp: { rateLimit: { requests: 2, perSec: 60 } } });
    rigs.push(rig);
    const quitAfterHello = ['--quit-after', 'EHLO'];
    assert.equal((await swaks({ port: rig.channel.port, extra: quitAfterHello })).code, 0);
    assert.equal((await swaks({ port: rig.channel.port, extra: quitAfterHello })).code, 0);
    const third = await swaks({ port: rig.channel.port, extra: quitAfterHello });
    assert.equal(third.code, 21, third.transcript); // swaks: error reading the banner
    assert.match(third.transcript, /421 4\.7\.0 rate limited, try again later/);
  });

  it('count every further message on one connection against the same rate', async () => {
    const rig = await startRig({ relayPort: 9, smtp: { rateLimit: { requests: 2, perSec: 60 } } });
    rigs.push(rig);
    const message = [
      'MAIL FROM:<alice@example.org>',
      'RCPT TO:<me@sb.test>',
      'DATA',
      'Subject: x\r\n\r\nhi\r\n.',
    ];
    const replies = await dialogue(rig.channel.port, [
      'EHLO client',
      ...message,
      ...message,
      'MAIL FROM:<alice@example.org>',
    ]);
    assert.match(replies.at(-1) ?? '', /^421 4\.7\.0 rate limited, try again later$/);
    // The connection paid for the first message, the second MAIL for the second one.
    assert.equal(replies.filter((r) => r.startsWith('250 2.0.0 OK')).length, 2);
  });

  it('refuse a banned IP with 421 4.7.1 at connect', async () => {
    const rig = await startRig({ relayPort: 9 });
    rigs.push(rig);
    const policy = { failedLoginsBeforeBan: 1, failedLoginWindowSec: 60, banSec: 60 };
    await rig.services.store.recordFailedLogin('smtp', '127.0.0.1', policy);
    const run = await swaks({ port: rig.channel.port });
    assert.equal(run.code, 21, run.transcript);
    assert.match(run.transcript, /421 4\.7\.1 banned, try again later/);
  });

  it('refuse everyone with 421 4.3.2 while the daemon is locked down', async () => {
    const rig = await startRig({ relayPort: 9 });
    rigs.push(rig);
    await rig.services.store.lockDown();
    const run = await swaks({ port: rig.channel.port });
    assert.equal(run.code, 21, run.transcript);
    assert.match(run.transcript, /421 4\.3\.2 locked down, try again later/);
  });

  it('cap the recipients of one message with 452 4.5.3', async () => {
    const rig = await startRig({ relayPort: 9, channel: { maxRecipients: 2 } });
    rigs.push(rig);
    const run = await swaks({
      port: rig.channel.port,
      to: 'a@sb.test,b@sb.test,c@sb.test',
      extra: ['--quit-after', 'RCPT'],
    });
    assert.match(run.transcript, /<\*\* 452 4\.5\.3 too many recipients \(at most 2 per message\)/);
    assert.equal(run.transcript.match(/<- {2}250 Accepted/g)?.length, 3); // MAIL + two RCPTs
  });
});
