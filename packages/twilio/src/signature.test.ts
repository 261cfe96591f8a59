import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { encodeDtmf } from './dtmf.js';
import { PASSWORD, PUBLIC, TOKEN, startRig, type Rig } from './webhook-rig.js';

describe('the signature check', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ rateLimit: { requests: 100, perSec: 1 } });
  });
  after(() => rig.close());

  const cases: [string, Parameters<Rig['post']>[2]][] = [
    ['no signature', { signature: null }],
    ['an empty signature', { signature: '' }],
    ['a garbage signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }],
    ['another auth token', { token: 'someone-elses-token' }],
    ['a signature for another route', { signedUrl: `${PUBLIC}/twilio/voice` }],
    ['a signature for another host', { signedUrl: 'https://evil.example/twilio/sms' }],
  ];
  for (const [what, options] of cases) {
    it(`refuses ${what} with 403 and runs nothing`, async () => {
      const before = rig.processed.length;
      const r = await rig.post('/sms', { From: '+15550010', Body: `${PASSWORD} .x hi` }, options);
      assert.equal(r.status, 403);
      assert.equal(r.body, 'invalid Twilio signature\n');
      assert.equal(rig.processed.length, before);
    });
  }

  it('refuses a tampered body with 403 and runs nothing', async () => {
    const before = rig.processed.length;
    const signed = { From: '+15550011', Body: `${PASSWORD} .x harmless` };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}/twilio/sms`, signed);
    const tampered = { ...signed, Body: `${PASSWORD} .s rm -rf /tmp/nothing` };
    const r = await rig.post('/sms', tampered, { signature });
    assert.equal(r.status, 403);
    assert.equal(rig.processed.length, before);
  });

  it('refuses an unsigned call, digits and an oversized body the same way', async () => {
    const before = rig.processed.length;
    assert.equal((await rig.post('/voice', { From: '+1' }, { signature: null })).status, 403);
    const digits = { From: '+1', Digits: encodeDtmf(`${PASSWORD} .x hi`).keys };
    assert.equal((await rig.post('/voice/digits', digits, { signature: null })).status, 403);
    const huge = await rig.post('/sms', { From: '+1', Body: 'x'.repeat(70_000) });
    assert.equal(huge.status, 413);
    assert.equal(rig.processed.length, before);
  });

  it('answers 404 and runs nothing once a reload disables the channel', async () => {
    const twilioBlock = rig.config.twilio;
    assert.ok(twilioBlock);
    rig.setConfig({ ...rig.config, twilio: { ...twilioBlock, enabled: false } });
    try {
      const before = rig.processed.length;
      const r = await rig.post('/sms', { From: '+15550012', Body: `${PASSWORD} .x hi` });
      assert.equal(r.status, 404);
      assert.equal(rig.processed.length, before);
    } finally {
      rig.setConfig(rig.config);
    }
  });
});

describe('the signature URL', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({
      publicUrl: 'https://sb.example.com:8443/switchboard/',
      rateLimit: { requests: 100, perSec: 1 },
    });
  });
  after(() => rig.close());

  it('is publicUrl (with its path prefix, without the trailing slash) + /twilio + the path', async () => {
    const params = { From: '+15550020', Body: `${PASSWORD} .x prefixed` };
    const r = await rig.post('/sms', params, {
      signedUrl: 'https://sb.example.com:8443/switchboard/twilio/sms',
    });
    assert.equal(r.status, 200);
    assert.match(r.body, /<Message>prefixed<\/Message>/);
    const withoutPrefix = await rig.post('/sms', params, {
      signedUrl: 'https://sb.example.com:8443/twilio/sms',
    });
    assert.equal(withoutPrefix.status, 403);
  });

  it('includes the query string Twilio was given', async () => {
    const params = { From: '+15550021', Body: `${PASSWORD} .x queried` };
    const url = 'https://sb.example.com:8443/switchboard/twilio/sms?number=main&x=%27a%27';
    const r = await rig.post('/sms?number=main&x=%27a%27', params, { signedUrl: url });
    assert.equal(r.status, 200);
    assert.match(r.body, /<Message>queried<\/Message>/);
    const dropped = await rig.post('/sms?number=main&x=%27a%27', params, {
      signedUrl: 'https://sb.example.com:8443/switchboard/twilio/sms',
    });
    assert.equal(dropped.status, 403);
  });

  it("points Gather's action at the public digits URL", async () => {
    const r = await rig.post('/voice', { From: '+15550022' });
    assert.match(
      r.body,
      /action="https:\/\/sb\.example\.com:8443\/switchboard\/twilio\/voice\/digits"/,
    );
  });
});
