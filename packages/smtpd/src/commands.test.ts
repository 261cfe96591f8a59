import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OUR_ADDRESS,
  PASSWORD,
  sinkAndRigPerSuite,
  swaks,
  waitFor,
  type Sink,
  type SinkMail,
} from './harness.js';

/** The mail the sink got with this subject, once it arrives. */
async function received(sink: Sink, subject: string): Promise<SinkMail> {
  let found: SinkMail | undefined;
  await waitFor(`a mail with subject ${subject}`, () => {
    found = sink.received.find((m) => m.parsed.subject === subject);
    return found !== undefined;
  });
  assert.ok(found);
  return found;
}

describe('a mail that carries a command', () => {
  const suite = sinkAndRigPerSuite();

  it('is answered to its sender with Re: its subject, threaded, the combined output as body', async () => {
    const run = await swaks({
      port: suite.rig.channel.port,
      headers: [
        'Subject: what is up',
        'Message-Id: <cmd-1@example.org>',
        'References: <older@example.org>',
      ],
      body: `Hi,\n${PASSWORD}.s echo hello from mail\n-- \nAlice`,
    });
    assert.equal(run.code, 0, run.transcript);
    assert.match(run.transcript, /<- {2}250 2\.0\.0 OK, taken as a command/);
    const reply = await received(suite.sink, 'Re: what is up');
    assert.deepEqual(reply.envelopeTo, ['alice@example.org']);
    assert.deepEqual(reply.parsed.from?.value, [{ address: OUR_ADDRESS, name: '' }]);
    assert.equal(
      reply.parsed.to && !Array.isArray(reply.parsed.to) ? reply.parsed.to.text : '',
      'alice@example.org',
    );
    assert.equal(reply.parsed.inReplyTo, '<cmd-1@example.org>');
    assert.deepEqual(reply.parsed.references, ['<older@example.org>', '<cmd-1@example.org>']);
    assert.equal(reply.parsed.text?.trim(), 'hello from mail');
    assert.equal(reply.parsed.headers.get('x-switchboard-loop'), OUR_ADDRESS);
    assert.equal(reply.parsed.headers.get('auto-submitted'), 'auto-replied');
  });

  it('is answered to Reply-To when the mail has one', async () => {
    await swaks({
      port: suite.rig.channel.port,
      headers: [
        'Subject: to my other address',
        'Reply-To: Alice Mobile <alice.mobile@example.net>',
      ],
      body: `${PASSWORD}.s echo elsewhere`,
    });
    const reply = await received(suite.sink, 'Re: to my other address');
    assert.deepEqual(reply.envelopeTo, ['alice.mobile@example.net']);
  });

  it('gets error|output when the command fails, and is not forwarded', async () => {
    await swaks({
      port: suite.rig.channel.port,
      headers: ['Subject: failing'],
      body: `${PASSWORD}.s echo partial; exit 3`,
    });
    const reply = await received(suite.sink, 'Re: failing');
    assert.equal(reply.parsed.text?.trim(), 'exit status 3|partial');
    assert.equal(
      suite.sink.received.filter((m) => m.envelopeTo.includes('owner@home.test')).length,
      0,
    );
  });

  it('runs from an HTML-only mail, through its text rendering', async () => {
    const data = [
      'From: alice@example.org',
      'To: me@sb.test',
      'Subject: html only',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<html><body><p>Hello</p><p>${PASSWORD}.s echo from html</p></body></html>`,
      '',
    ].join('\r\n');
    await swaks({ port: suite.rig.channel.port, data });
    const reply = await received(suite.sink, 'Re: html only');
    assert.equal(reply.parsed.text?.trim(), 'from html');
  });

  it('runs a shortcut written on a line of its own', async () => {
    await swaks({ port: suite.rig.channel.port, headers: ['Subject: shortcut'], body: 'who am i' });
    const reply = await received(suite.sink, 'Re: shortcut');
    assert.equal(reply.parsed.text?.trim(), 'shortcut');
  });
});

describe('a mail with a wrong password', () => {
  const suite = sinkAndRigPerSuite();

  it('is neither forwarded nor answered, counts for the IP, and the IP is banned at connect', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const run = await swaks({
        port: suite.rig.channel.port,
        headers: [`Subject: guess ${i}`],
        body: `Hello,\nwrongpassword.s echo hi`,
      });
      answers.push(
        run.transcript.includes('250 2.0.0 OK, taken as a command') ? '250' : run.transcript,
      );
      if (i < 5) {
        // The ban needs the command to have run (after the 250); wait for its failed login.
        await waitFor(
          `failed login ${i + 1}`,
          () =>
            suite.rig.logs.filter((l) => l.msg === 'command' && l.error === 'INVALID_LOGIN')
              .length ===
            i + 1,
        );
      }
    }
    assert.deepEqual(answers.slice(0, 5), ['250', '250', '250', '250', '250']);
    assert.match(answers[5] ?? '', /421 4\.7\.1 banned/);
    assert.deepEqual(
      (await suite.rig.services.store.listBans()).map((b) => [b.channel, b.source]),
      [['smtp', '127.0.0.1']],
    );
    assert.ok(await suite.rig.services.outbox.drain(2000));
    assert.equal(suite.sink.received.length, 0);
    assert.ok(!suite.rig.logs.some((l) => l.msg === 'smtp: command answered'));
  });
});

describe('a mail that only mentions a command', () => {
  const suite = sinkAndRigPerSuite();

  it('is forwarded as ordinary mail: no line is shaped like one', async () => {
    await swaks({
      port: suite.rig.channel.port,
      headers: ['Subject: plain'],
      body: 'example.com is down again.\nMr .s is here.\nwww.example.org .com',
    });
    await waitFor('the forward', () =>
      suite.sink.received.some((m) => m.parsed.subject === 'plain'),
    );
    assert.deepEqual(await suite.rig.services.store.listBans(), []);
  });

  it('that sits inside an attached mail does not run either: the mail is forwarded', async () => {
    const data = [
      'From: alice@example.org',
      'To: me@sb.test',
      'Subject: old command attached',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'See the attached mail.',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      'Subject: the old one',
      '',
      `${PASSWORD}.s echo should not run`,
      '--b1--',
      '',
    ].join('\r\n');
    await swaks({ port: suite.rig.channel.port, data });
    await waitFor('the forward', () =>
      suite.sink.received.some((m) => m.parsed.subject === 'old command attached'),
    );
    assert.ok(!suite.rig.logs.some((l) => l.msg === 'smtp: command answered'));
  });
});
