import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, TOKEN, XML, startRig, unescapeXml, type Rig } from './webhook-rig.js';

describe('POST /twilio/sms', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ rateLimit: { requests: 100, perSec: 1 } });
  });
  after(() => rig.close());

  it('runs the message and answers it in a <Message>', async () => {
    const r = await rig.post('/sms', { From: '+15550001', Body: `${PASSWORD} .x hello there` });
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/xml/);
    assert.equal(r.body, `${XML}<Response><Message>hello there</Message></Response>`);
    assert.equal(rig.processed.at(-1)?.source, '+15550001');
    assert.equal(rig.processed.at(-1)?.channel, 'twilio');
    assert.equal(rig.processed.at(-1)?.timeoutSec, 12, "within Twilio's 15 s budget");
  });

  it('caps the answer at 160 characters by default, on one line', async () => {
    const r = await rig.post('/sms', {
      From: '+15550002',
      Body: `${PASSWORD} .s printf '%0300d\\n%s' 0 second-line`,
    });
    assert.equal(r.body, `${XML}<Response><Message>${'0'.repeat(160)}</Message></Response>`);
  });

  it('escapes hostile output so the TwiML stays one Message', async () => {
    const hostile = `</Message><Redirect>https://evil.example</Redirect> & "quoted" 'single'`;
    const r = await rig.post('/sms', { From: '+15550003', Body: `${PASSWORD} .x ${hostile}` });
    const messages = [...r.body.matchAll(/<Message>([^<]*)<\/Message>/g)];
    assert.equal(messages.length, 1);
    assert.equal(unescapeXml(messages[0]?.[1] ?? ''), hostile);
    assert.doesNotMatch(r.body, /<Redirect>/);
  });

  it('answers a wrong password with an empty Response, and bans the number after 3', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await rig.post('/sms', { From: '+15550004', Body: 'wrong-password .x hi' });
      assert.equal(r.status, 200);
      assert.equal(r.body, `${XML}<Response/>`);
    }
    assert.equal(await rig.runtime.services.store.isBanned('twilio', '+15550004'), true);
    const banned = await rig.post('/sms', { From: '+15550004', Body: `${PASSWORD} .x hi` });
    assert.equal(banned.body, `${XML}<Response/>`, 'a banned number is not answered either');
    const other = await rig.post('/sms', { From: '+15550005', Body: `${PASSWORD} .x hi` });
    assert.match(other.body, /<Message>hi<\/Message>/, 'the ban is per number');
  });

  it('answers an app error, which is authorised, with its text', async () => {
    const r = await rig.post('/sms', { From: '+15550006', Body: `${PASSWORD} .nope` });
    assert.match(r.body, /<Message>unknown app; enabled: [^<]*<\/Message>/);
  });

  it('never logs the auth token', () => {
    assert.ok(rig.logs.length > 0);
    assert.ok(rig.logs.every((line) => !line.includes(TOKEN)));
  });
});
