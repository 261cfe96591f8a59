import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../errors.js';
import { parsePhoneCommand, PHONE_USAGE } from './phone-command.js';

const e164 = fc.stringMatching(/^\+[1-9]\d{7,14}$/);
const message = fc.string({ minLength: 1 }).filter((s) => /^\S/.test(s) && !/\s$/.test(s));

/** The message of the AppError that `input` is refused with. */
function refusal(input: string): string {
  try {
    parsePhoneCommand(input);
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err.message;
  }
  assert.fail(`"${input}" was accepted`);
}

describe('.p input', () => {
  it('is a call for c and an SMS for t, in either case, with the message as typed', () => {
    fc.assert(
      fc.property(fc.constantFrom('c', 'C', 't', 'T'), e164, message, (action, to, text) => {
        const parsed = parsePhoneCommand(`${action} ${to}  ${text}`);
        const kind = action.toLowerCase() === 'c' ? 'call' : 'sms';
        assert.deepEqual(parsed, { kind, to, message: text });
      }),
    );
  });

  it('refuses a number that is not E.164 before anything is sent', () => {
    const notE164 = fc
      .string({ minLength: 1 })
      .filter((s) => !/\s/.test(s) && !/^\+[1-9]\d{7,14}$/.test(s));
    fc.assert(
      fc.property(fc.constantFrom('c', 't'), notE164, (action, to) => {
        assert.match(refusal(`${action} ${to} hello`), /is not a phone number in E\.164 form/);
      }),
    );
    for (const to of [
      '15551234567',
      '+1555',
      '+0123456789',
      '+1234567890123456',
      '+1-555-123-4567',
    ]) {
      assert.equal(
        refusal(`t ${to} hello`),
        `"${to}" is not a phone number in E.164 form (+ and 8 to 15 digits, e.g. +15551234567)`,
      );
    }
  });

  it('answers anything else with the usage line (laitos accepted an empty message)', () => {
    for (const input of [
      '',
      'c',
      't +15551234567',
      'c +15551234567,',
      'c+15551234567 hi',
      'x +15551234567 hi',
      '!@$!@%#%#$@%',
      'call +15551234567 hi',
    ]) {
      assert.equal(refusal(input), PHONE_USAGE, input);
    }
  });
});
