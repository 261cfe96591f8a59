import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MY_DOMAIN,
  OUR_ADDRESS,
  OWNER,
  sinkAndRigPerSuite,
  startRig,
  swaks,
  waitFor,
  type Rig,
} from './harness.js';

describe('mail without a command', () => {
  const suite = sinkAndRigPerSuite();

  it('is forwarded From our address, Reply-To the sender, subject kept, original attached', async () => {
    const run = await swaks({
      port: suite.rig.channel.port,
      from: 'bounce-123@lists.example.org',
      headers: ['From: "Alice Example" <alice@example.org>', 'Subject: dinner on friday?'],
      body: 'Shall we meet at eight?',
    });
    assert.equal(run.code, 0, run.transcript);
    assert.match(run.transcript, /<- {2}250 2\.0\.0 OK, queued/);
    await waitFor('the forward', () => suite.sink.received.length === 1);
    const forward = suite.sink.received[0];
    assert.ok(forward);
    assert.deepEqual(forward.envelopeTo, [OWNER]);
    assert.equal(forward.envelopeFrom, OUR_ADDRESS);
    assert.deepEqual(forward.parsed.from?.value, [
      { address: OUR_ADDRESS, name: 'Alice Example via Switchboard' },
    ]);
    assert.deepEqual(forward.parsed.replyTo?.value, [
      { address: 'alice@example.org', name: 'Alice Example' },
    ]);
    assert.equal(forward.parsed.subject, 'dinner on friday?');
    assert.equal(forward.parsed.headers.get('x-switchboard-loop'), OUR_ADDRESS);
    assert.match(forward.parsed.text ?? '', /Shall we meet at eight\?/);
    const [original] = forward.parsed.attachments;
    assert.ok(original);
    assert.equal(original.contentType, 'message/rfc822');
    const originalText = original.content.toString('utf8');
    assert.match(originalText, /^Subject: dinner on friday\?\r?$/m);
    assert.match(originalText, /^From: "Alice Example" <alice@example.org>\r?$/m);
  });

  it('that we forwarded and that comes back to us is dropped (loop guard)', async () => {
    await waitFor('a forward to send back', () => suite.sink.received.length > 0);
    // The sink records a mail before its 250; the outbox removes the file only after it.
    assert.ok(await suite.rig.services.outbox.drain(10_000), 'the earlier forwards were sent');
    assert.deepEqual(await suite.rig.services.outbox.pending(), []);
    const before = suite.sink.received.length;
    const ours = suite.sink.received[0]?.raw ?? '';
    const run = await swaks({ port: suite.rig.channel.port, from: OUR_ADDRESS, data: ours });
    assert.equal(run.code, 0, run.transcript);
    // A forward is queued before the 250, so an empty outbox now means nothing was queued.
    assert.deepEqual(await suite.rig.services.outbox.pending(), []);
    assert.equal(suite.sink.received.length, before);
    assert.ok(suite.rig.logs.some((l) => l.msg === 'smtp: dropped a mail that loops'));
  });

  it('for a domain that is not ours is refused with 550 at RCPT (no relaying)', async () => {
    const run = await swaks({
      port: suite.rig.channel.port,
      to: 'someone@elsewhere.example',
      body: 'relay me',
    });
    assert.equal(run.code, 24, run.transcript); // swaks: no RCPT accepted
    assert.match(
      run.transcript,
      /<\*\* 550 5\.7\.1 <someone@elsewhere\.example>: relay access denied/,
    );
  });

  it('to one of our domains in any letter case is taken', async () => {
    const run = await swaks({
      port: suite.rig.channel.port,
      to: `Me@${MY_DOMAIN.toUpperCase()}`,
      headers: ['Subject: case'],
      body: 'x',
    });
    assert.equal(run.code, 0, run.transcript);
    await waitFor('the forward', () =>
      suite.sink.received.some((m) => m.parsed.subject === 'case'),
    );
  });
});

describe('the size limit', () => {
  const suite = sinkAndRigPerSuite({ smtp: { maxMessageBytes: 4096 } });

  it('refuses a mail over maxMessageBytes with 552 after DATA, and takes the next one', async () => {
    const big = await swaks({ port: suite.rig.channel.port, body: 'x'.repeat(10_000) });
    assert.equal(big.code, 26, big.transcript); // swaks: mail not accepted after DATA
    assert.match(
      big.transcript,
      /<\*\* 552 5\.3\.4 message exceeds the maximum size of 4096 bytes/,
    );
    assert.deepEqual(await suite.rig.services.outbox.pending(), []);
    const small = await swaks({ port: suite.rig.channel.port, body: 'small' });
    assert.equal(small.code, 0, small.transcript);
  });

  it('is advertised in EHLO (RFC 1870 SIZE)', async () => {
    const run = await swaks({ port: suite.rig.channel.port, extra: ['--quit-after', 'EHLO'] });
    assert.match(run.transcript, /250[- ]SIZE 4096/);
  });
});

describe('a channel without forwardTo', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ relayPort: 9, smtp: { forwardTo: [] } });
  });
  after(async () => {
    await rig.close();
  });

  it('refuses mail without a command with 550, since it has nowhere to put it', async () => {
    const run = await swaks({ port: rig.channel.port, body: 'hello' });
    assert.equal(run.code, 26, run.transcript);
    assert.match(run.transcript, /<\*\* 550 5\.1\.1 mailbox unavailable/);
  });
});
