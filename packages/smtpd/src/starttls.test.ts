import assert from 'node:assert/strict';
import { selfSignedCert } from '@switchboard/core/testing';
import { after, before, describe, it } from 'node:test';
import { startRig, startSink, swaks, waitFor, type Rig, type Sink } from './harness.js';

describe('STARTTLS', () => {
  let sink: Sink;
  let tlsRig: Rig;
  let plainRig: Rig;
  before(async () => {
    sink = await startSink();
    const { cert, key } = await selfSignedCert();
    tlsRig = await startRig({ relayPort: sink.port, smtp: { tls: { cert, key } } });
    plainRig = await startRig({ relayPort: sink.port });
  });
  after(async () => {
    await tlsRig.close();
    await plainRig.close();
    await sink.close();
  });

  it('is offered with the configured certificate and carries a mail', async () => {
    const run = await swaks({
      port: tlsRig.channel.port,
      headers: ['Subject: over tls'],
      body: 'secret',
      extra: ['--tls'],
    });
    assert.equal(run.code, 0, run.transcript);
    assert.match(run.transcript, /<- {2}220 .*\n=== TLS started/);
    await waitFor('the forward', () => sink.received.some((m) => m.parsed.subject === 'over tls'));
    const forward = sink.received.find((m) => m.parsed.subject === 'over tls');
    assert.match(forward?.parsed.text ?? '', /over TLS/);
  });

  it('is not offered without smtp.tls', async () => {
    const run = await swaks({ port: plainRig.channel.port, extra: ['--quit-after', 'EHLO'] });
    assert.doesNotMatch(run.transcript, /STARTTLS/);
  });

  it('fails the start when the certificate cannot be read', async () => {
    await assert.rejects(
      startRig({
        relayPort: sink.port,
        smtp: { tls: { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } },
      }),
      /smtp\.tls\.cert: cannot read \/nonexistent\/cert\.pem/,
    );
  });
});
