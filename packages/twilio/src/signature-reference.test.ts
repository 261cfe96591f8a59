import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import twilio from 'twilio';
import { isSignedByTwilio } from './signature.js';

// URLs as a public URL and a route make them, with the variants the validator tries: a default
// port or none, characters new URL() re-encodes, a query the legacy querystring re-encodes.
const url = fc
  .tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://'),
    fc.constantFrom(
      'sb.example.com',
      'sb.example.com:443',
      'sb.example.com:80',
      'sb.example.com:8443',
      '[::1]:8443',
      'user@sb.example.com',
    ),
    fc.constantFrom('', '/switchboard', "/it's", '/a b', '/%27'),
    fc.constantFrom('/twilio/sms', '/twilio/voice/digits'),
    fc.constantFrom('', '?', '?x=1', "?q=it's", '?a=1&a=2', '?x=%27'),
  )
  .map((parts) => parts.join(''));
const params = fc.dictionary(
  fc.constantFrom('From', 'Body', 'To', 'Digits', 'CallSid', 'Media'),
  fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
);

describe('the signature check, against twilio’s own validateRequest', () => {
  it('accepts and refuses exactly what validateRequest accepts and refuses', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        url,
        fc.option(url), // none: signed for the URL requested
        params,
        fc.oneof(fc.constant('signed'), fc.string()),
        (token, requested, signedFor, form, how) => {
          const signature =
            how === 'signed'
              ? twilio.getExpectedTwilioSignature(token, signedFor ?? requested, form)
              : how;
          const theirs = (() => {
            try {
              return twilio.validateRequest(token, signature, requested, form);
            } catch {
              return false;
            }
          })();
          assert.equal(
            isSignedByTwilio(token, signature, requested, form),
            theirs && signature !== '',
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts a signature for the same URL with or without its default port', () => {
    const form = { From: '+15550100', Body: 'pw .s uptime' };
    const signature = twilio.getExpectedTwilioSignature(
      'token',
      'https://sb.example.com:443/twilio/sms',
      form,
    );
    assert.equal(
      isSignedByTwilio('token', signature, 'https://sb.example.com/twilio/sms', form),
      true,
    );
    assert.equal(
      isSignedByTwilio('token', signature, 'https://sb.example.com/twilio/voice', form),
      false,
    );
  });
});
