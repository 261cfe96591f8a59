/**
 * The one reply function of `POST /twilio/sms`: decides whether the SMS is answered, formats
 * the TwiML, caps the length and logs. Every answer costs money, so only an authorised command
 * gets one (docs/twilio.md "What each answer costs").
 */
import type { Response } from 'express';
import { TwimlElement, twimlDocument, type Result, type Services } from '@switchboard/core';
import { twimlText } from './twiml-text.js';

/** Twilio refuses a longer message body (error 21617), whatever lintText allows. */
export const SMS_MAX_CHARS = 1600;

/**
 * Answers an SMS: a `<Message>` with the combined output when the command was authorised (it
 * ran, or its app failed), else an empty `<Response/>`: a wrong password, a reused code, a
 * ban, a rate limit, lockdown or a malformed text is never paid for with a reply.
 */
export function replySms(
  res: Response,
  logger: Services['logger'],
  from: string,
  result: Result,
): void {
  const answered = result.error === undefined || result.error.replyClass === 'command';
  const twiml = new TwimlElement('Response');
  let chars = 0;
  if (answered) {
    const body = twimlText(result.combinedOutput, SMS_MAX_CHARS);
    twiml.addText('Message', body);
    chars = Array.from(body).length;
  }
  logger.info(
    { channel: 'twilio', route: 'sms', from, answered, error: result.error?.code, chars },
    answered ? 'sms answered' : 'sms not answered',
  );
  res.type('text/xml').send(twimlDocument(twiml));
}
