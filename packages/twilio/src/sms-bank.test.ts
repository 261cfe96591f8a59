import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeDtmf } from './dtmf.js';
import { PASSWORD, XML, startRig, type Rig } from './webhook-rig.js';

/** Runs `.b INPUT` as the owner over http (no SMS length limit), and returns the answer. */
async function bank(rig: Rig, input: string): Promise<string> {
  const content = `${PASSWORD} .b ${input}`;
  const r = await rig.runtime.process({
    channel: 'http',
    source: '127.0.0.1',
    content,
    timeoutSec: 5,
  });
  return r.combinedOutput;
}

describe('POST /twilio/sms with apps.messageBank.keepIncoming ["sms"]', () => {
  let rig: Rig;
  before(async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'sb-twilio-bank-')), 'bank');
    rig = await startRig(
      { rateLimit: { requests: 100, perSec: 1 } },
      {
        apps: {
          shell: { unrestricted: true },
          messageBank: { enabled: true, directory, maxMessageBytes: 20, keepIncoming: ['sms'] },
        },
      },
    );
  });
  after(() => rig.close());

  it('keeps a text that is not a command, unanswered, with its number', async () => {
    const r = await rig.post('/sms', { From: '+15550201', Body: 'Running late, sorry' });
    assert.equal(r.body, `${XML}<Response/>`, 'a stranger still gets no reply');
    assert.match(await bank(rig, 'list'), /^#1 \S+ twilio \+15550201: Running late, sorry$/);
    assert.ok(rig.logs.some((l) => l.includes('"sms kept in the message bank"')));
    assert.ok(
      rig.logs.every((l) => !l.includes('Running late')),
      'the text is not logged',
    );
  });

  it('cuts a long text to maxMessageBytes', async () => {
    await rig.post('/sms', { From: '+15550202', Body: 'abcdefghijklmnopqrstuvwxyz' });
    assert.match(await bank(rig, 'read 2'), /: abcdefghijklmnopqrst$/);
  });

  it('still counts such a text as a failed login, and keeps nothing once banned', async () => {
    for (let i = 0; i < 3; i++) await rig.post('/sms', { From: '+15550203', Body: `note ${i}` });
    assert.equal(await rig.runtime.services.store.isBanned('twilio', '+15550203'), true);
    await rig.post('/sms', { From: '+15550203', Body: 'note while banned' });
    const listed = await bank(rig, 'list');
    assert.equal(listed.match(/\+15550203/g)?.length, 3, listed);
    assert.doesNotMatch(listed, /while banned/);
  });

  it('keeps nothing of a command, and runs it as before', async () => {
    const r = await rig.post('/sms', { From: '+15550204', Body: `${PASSWORD} .s echo hi` });
    assert.match(r.body, /<Message>hi<\/Message>/);
    assert.doesNotMatch(await bank(rig, 'list'), /\+15550204/);
  });
});

describe('POST /twilio/voice/digits with apps.messageBank.keepIncoming ["voice"]', () => {
  let rig: Rig;
  before(async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'sb-twilio-bank-')), 'bank');
    rig = await startRig(
      { rateLimit: { requests: 100, perSec: 1 } },
      { apps: { messageBank: { enabled: true, directory, keepIncoming: ['voice'] } } },
    );
  });
  after(() => rig.close());

  it('keeps what a caller without the password typed, decoded as a command would be', async () => {
    const keys = encodeDtmf('call me at 9').keys;
    const r = await rig.post('/voice/digits', { From: '+15550401', Digits: keys });
    assert.match(r.body, /<Say[^>]*>/, 'the caller hears the refusal as before');
    assert.match(await bank(rig, 'list'), /^#1 \S+ twilio \+15550401: call me at 9$/);
    assert.ok(
      rig.logs.every((l) => !l.includes('call me at 9')),
      'the text is not logged',
    );
  });

  it('keeps no text that is not a command when only voice is kept', async () => {
    await rig.post('/sms', { From: '+15550402', Body: 'hello' });
    assert.doesNotMatch(await bank(rig, 'list'), /\+15550402/);
  });
});

describe('POST /twilio/sms without keepIncoming', () => {
  it('keeps nothing that is not a command', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'sb-twilio-bank-')), 'bank');
    const rig = await startRig({}, { apps: { messageBank: { enabled: true, directory } } });
    try {
      await rig.post('/sms', { From: '+15550301', Body: 'hello' });
      assert.equal(await bank(rig, 'list'), 'no messages');
    } finally {
      await rig.close();
    }
  });
});
