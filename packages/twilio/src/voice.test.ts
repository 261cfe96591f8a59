import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeDtmf } from './dtmf.js';
import { PASSWORD, PUBLIC, XML, says, startRig, type Rig } from './webhook-rig.js';

describe('POST /twilio/voice and /twilio/voice/digits', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({
      greeting: 'Hi <there> & welcome',
      rateLimit: { requests: 100, perSec: 1 },
    });
  });
  after(() => rig.close());

  it('greets inside a Gather for keys ending with #', async () => {
    const r = await rig.post('/voice', { From: '+15550030' });
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/xml/);
    assert.equal(
      r.body,
      `${XML}<Response><Gather input="dtmf" finishOnKey="#" action="${PUBLIC}/twilio/voice/digits"` +
        ` method="POST" timeout="30"><Say>Hi &lt;there&gt; &amp; welcome</Say></Gather>` +
        `<Say>Goodbye.</Say></Response>`,
    );
    assert.equal(rig.processed.length, 0, 'a greeting runs no command');
  });

  it('runs a keypad command and speaks the result three times, then gathers again', async () => {
    const keys = encodeDtmf(`${PASSWORD} .x Hi, there!`).keys;
    const r = await rig.post('/voice/digits', { From: '+15550031', Digits: keys });
    assert.equal(rig.processed.at(-1)?.content, `${PASSWORD} .x Hi, there!`);
    assert.deepEqual(says(r.body), [
      'Hi, there!.',
      'Again.',
      'Hi, there!.',
      'Again.',
      'Hi, there!.',
      'Over.',
      'Goodbye.',
    ]);
    assert.match(r.body, /^[^]*<Gather input="dtmf" finishOnKey="#" action="[^"]+\/voice\/digits"/);
  });

  it("decodes laitos' vector and says EMPTY OUTPUT for a command without output", async () => {
    const r = await rig.post('/voice/digits', {
      From: '+15550032',
      Digits: '88833777999777733222777338014207777087778833',
    });
    assert.equal(rig.processed.at(-1)?.content, 'verysecret.strue');
    assert.equal(says(r.body).filter((s) => s === 'EMPTY OUTPUT.').length, 3);
  });

  it('spells the answer phonetically after the 0123 prefix', async () => {
    const r = await rig.post('/voice/digits', {
      From: '+15550033',
      Digits: '0123' + '88833777999777733222777338014207777087778833',
    });
    const spelled =
      'capital echo, capital mike, capital papa, capital tango, capital yankee, space, ' +
      'capital oscar, capital uniform, capital tango, capital papa, capital uniform, capital tango';
    assert.equal(says(r.body)[0], `${spelled}.`);
  });

  it('escapes hostile spoken output', async () => {
    const hostile = `</Say><Dial>+15559999</Dial> & "x" 'y'`;
    const keys = encodeDtmf(`${PASSWORD} .x ${hostile}`).keys;
    const r = await rig.post('/voice/digits', { From: '+15550034', Digits: keys });
    assert.equal(says(r.body)[0], `${hostile}.`);
    assert.doesNotMatch(r.body, /<Dial>/);
  });

  it('says a wrong password once and hangs up', async () => {
    const r = await rig.post('/voice/digits', { From: '+15550035', Digits: '0000000' });
    assert.equal(
      r.body,
      `${XML}<Response><Say>invalid password or shortcut. Goodbye.</Say><Hangup/></Response>`,
    );
  });

  it('rejects a call while locked down, without answering it', async () => {
    await rig.runtime.services.store.lockDown();
    const r = await rig.post('/voice', { From: '+15550036' });
    assert.equal(r.body, `${XML}<Response><Reject reason="busy"/></Response>`);
  });
});
