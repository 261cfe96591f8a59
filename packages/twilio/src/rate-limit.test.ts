import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeDtmf } from './dtmf.js';
import { PASSWORD, XML, says, startRig, type Rig } from './webhook-rig.js';

describe('rate limit per number (default 1 per 10 s)', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('answers the first SMS of a number and not the second; another number is answered', async () => {
    const first = await rig.post('/sms', { From: '+15550040', Body: `${PASSWORD} .x one` });
    assert.match(first.body, /<Message>one<\/Message>/);
    const second = await rig.post('/sms', { From: '+15550040', Body: `${PASSWORD} .x two` });
    assert.equal(second.body, `${XML}<Response/>`);
    assert.equal(rig.processed.at(-1)?.content, `${PASSWORD} .x two`, 'it reached the guard');
    const other = await rig.post('/sms', { From: '+15550041', Body: `${PASSWORD} .x three` });
    assert.match(other.body, /<Message>three<\/Message>/);
  });

  it('rejects a second call from a number, but lets the first call run a command', async () => {
    const call = await rig.post('/voice', { From: '+15550042' });
    assert.match(call.body, /<Gather/);
    const again = await rig.post('/voice', { From: '+15550042' });
    assert.equal(again.body, `${XML}<Response><Reject reason="busy"/></Response>`);
    const keys = encodeDtmf(`${PASSWORD} .x ok`).keys;
    const digits = await rig.post('/voice/digits', { From: '+15550042', Digits: keys });
    assert.equal(says(digits.body)[0], 'ok.', 'the call and the command have separate budgets');
    const more = await rig.post('/voice/digits', { From: '+15550042', Digits: keys });
    assert.deepEqual(says(more.body), ['rate limited. Goodbye.']);
    assert.match(more.body, /<Hangup\/>/);
  });
});
