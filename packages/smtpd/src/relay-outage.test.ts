import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  PASSWORD,
  deadPort,
  startRig,
  startSink,
  swaks,
  waitFor,
  type Rig,
  type Sink,
} from './harness.js';

describe('a reply while the relay is down', () => {
  const open: (Rig | Sink)[] = [];
  after(async () => {
    for (const thing of open.reverse()) await thing.close();
  });

  it('waits in the outbox and arrives once the relay is back on the same port', async () => {
    const port = await deadPort();
    const rig = await startRig({ relayPort: port });
    open.push(rig);
    const run = await swaks({
      port: rig.channel.port,
      headers: ['Subject: outage'],
      body: `${PASSWORD}.s echo still here`,
    });
    assert.equal(run.code, 0, run.transcript);
    await waitFor('a failed delivery', () =>
      rig.logs.some((l) => l.msg === 'mail delivery failed; will retry'),
    );
    assert.equal((await rig.services.outbox.pending()).length, 1);
    const sink = await startSink(port);
    open.push(sink);
    await waitFor('the queued reply', () => sink.received.length === 1);
    const reply = sink.received[0];
    assert.ok(reply);
    assert.equal(reply.parsed.subject, 'Re: outage');
    assert.equal(reply.parsed.text?.trim(), 'still here');
  });

  it('survives a restart of the channel and outbox, and is delivered by the new ones', async () => {
    const port = await deadPort();
    const first = await startRig({ relayPort: port });
    await swaks({
      port: first.channel.port,
      headers: ['Subject: restart'],
      body: `${PASSWORD}.s echo after restart`,
    });
    await waitFor(
      'the reply in the outbox',
      async () => (await first.services.outbox.pending()).length === 1,
    );
    await first.close();
    const sink = await startSink(port);
    open.push(sink);
    const second = await startRig({ relayPort: port, outboxDir: first.outboxDir });
    open.push(second);
    await waitFor('the reply after restart', () => sink.received.length === 1);
    assert.equal(sink.received[0]?.parsed.subject, 'Re: restart');
  });
});
