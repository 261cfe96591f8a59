import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { TwimlElement, twimlDocument } from '@switchboard/core';
import { twimlText } from './twiml-text.js';

// What an app's output can hold once twimlText made it XML-safe: markup, quotes, line breaks.
const text = fc
  .string({ unit: fc.constantFrom('a', ' ', '<', '>', '&', '"', "'", '\n', '\r', '\t', 'é', '😀') })
  .map((s) => twimlText(s, 3000));

describe('TwiML, checked against the twilio package’s own builders', () => {
  it('writes a message exactly as MessagingResponse does', () => {
    fc.assert(
      fc.property(text, (body) => {
        const theirs = new MessagingResponse();
        theirs.message(body);
        assert.equal(
          twimlDocument(new TwimlElement('Response').addText('Message', body)),
          theirs.toString(),
        );
      }),
    );
  });

  it('writes an empty response, a reject and a hang-up exactly as VoiceResponse does', () => {
    assert.equal(twimlDocument(new TwimlElement('Response')), new MessagingResponse().toString());
    const theirs = new VoiceResponse();
    theirs.reject({ reason: 'busy' });
    const ours = new TwimlElement('Response');
    ours.add('Reject', { reason: 'busy' });
    assert.equal(twimlDocument(ours), theirs.toString());
  });

  it('writes a gather with says and pauses exactly as VoiceResponse does', () => {
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), text, (action, says, last) => {
        const theirs = new VoiceResponse();
        const gather = theirs.gather({
          input: ['dtmf'],
          finishOnKey: '#',
          action,
          method: 'POST',
          timeout: 30,
        });
        const ours = new TwimlElement('Response');
        const ourGather = ours.add('Gather', {
          input: 'dtmf',
          finishOnKey: '#',
          action,
          method: 'POST',
          timeout: 30,
        });
        for (const say of says) {
          gather.say(say);
          gather.pause({ length: 1 });
          ourGather.addText('Say', say);
          ourGather.add('Pause', { length: 1 });
        }
        theirs.say(last);
        theirs.hangup();
        ours.addText('Say', last);
        ours.add('Hangup');
        assert.equal(twimlDocument(ours), theirs.toString());
      }),
    );
  });
});
