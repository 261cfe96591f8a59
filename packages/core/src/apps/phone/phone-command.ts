/**
 * What `.p` is asked: `c +NUMBER MESSAGE` (a call that speaks it) or `t +NUMBER MESSAGE` (an
 * SMS), with the number in E.164 form. Checked whole before anything reaches Twilio.
 */
import { AppError } from '../../errors.js';

/** E.164 as Twilio takes it: `+`, then 8 to 15 digits, the first not 0. */
export const E164_PATTERN = '^\\+[1-9][0-9]{7,14}$';
const E164 = new RegExp(E164_PATTERN);

/** The usage line of `.p`. */
export const PHONE_USAGE =
  'usage: .p c +NUMBER MESSAGE (call and say it) | .p t +NUMBER MESSAGE (SMS)';

/** A call or an SMS to send. */
export interface PhoneCommand {
  readonly kind: 'call' | 'sms';
  /** E.164. */
  readonly to: string;
  /** What to say or send; never empty. */
  readonly message: string;
}

const KINDS: Readonly<Record<string, PhoneCommand['kind']>> = { c: 'call', t: 'sms' };
// The action, the number, the message; the message runs to the end of the input.
const SHAPE = /^(\S+)\s+(\S+)\s+(\S[\s\S]*)$/;

/** Parses the input of `.p`; throws AppError with the usage or the number's problem. */
export function parsePhoneCommand(input: string): PhoneCommand {
  const [, action = '', to = '', message = ''] = SHAPE.exec(input) ?? [];
  const kind = KINDS[action.toLowerCase()];
  if (kind === undefined) throw new AppError(PHONE_USAGE);
  if (!E164.test(to)) {
    throw new AppError(
      `"${to}" is not a phone number in E.164 form (+ and 8 to 15 digits, e.g. +15551234567)`,
    );
  }
  return { kind, to, message };
}
