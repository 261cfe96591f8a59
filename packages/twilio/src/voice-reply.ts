/**
 * The one reply function of the voice webhooks (`/twilio/voice`, `/twilio/voice/digits`):
 * formats the TwiML for each kind of answer, caps what is spoken and logs.
 */
import type { Response } from 'express';
import { TwimlElement, twimlDocument, type Result, type Services } from '@switchboard/core';
import { spellPhonetically } from './phonetic.js';
import { twimlText } from './twiml-text.js';

/**
 * Characters per `<Say>`: Twilio's limit is 3000 for Polly voices and 4096 for the basic ones
 * (warning 13521), so the smaller one holds whatever voice the account uses.
 */
export const SAY_MAX_CHARS = 3000;

/** Seconds Twilio waits for the next key before it submits what was typed. */
export const GATHER_TIMEOUT_SEC = 30;

/** How often a result is spoken before the caller is asked for the next command. */
const REPEATS = 3;

/** What a voice webhook answers. */
export type VoiceAnswer =
  /** A new call: the greeting, then wait for keys. */
  | { readonly kind: 'greeting'; readonly greeting: string; readonly action: string }
  /** A new call refused before it is answered (nothing is billed for a rejected call). */
  | { readonly kind: 'reject'; readonly why: 'unavailable' | 'banned' | 'rateLimited' }
  /** A keypad command's result: spoken and gathered again, or an error and hang up. */
  | {
      readonly kind: 'result';
      readonly result: Result;
      readonly phonetic: boolean;
      readonly action: string;
    };

/**
 * Answers a voice webhook. A result that ran (or whose app failed) is spoken three times and
 * the caller may type the next command; any refusal (wrong password, reused code, ban, rate
 * limit, lockdown, malformed text) is spoken once and the call is hung up, so a caller cannot
 * keep a paid line open to guess passwords.
 */
export function replyVoice(
  res: Response,
  logger: Services['logger'],
  from: string,
  answer: VoiceAnswer,
): void {
  const twiml = new TwimlElement('Response');
  const log: Record<string, unknown> = { channel: 'twilio', route: 'voice', from };
  switch (answer.kind) {
    case 'greeting': {
      gatherKeys(twiml, answer.action).addText('Say', twimlText(answer.greeting, SAY_MAX_CHARS));
      twiml.addText('Say', 'Goodbye.');
      log.answer = 'greeting';
      break;
    }
    case 'reject': {
      twiml.add('Reject', { reason: 'busy' });
      log.answer = 'rejected';
      log.error = answer.why;
      break;
    }
    case 'result': {
      const { result, phonetic } = answer;
      const ran = result.error === undefined || result.error.replyClass === 'command';
      // A refusal is never spelled: the caller needs the gist, not every letter of it.
      const said =
        ran && phonetic ? spellPhonetically(result.combinedOutput) : result.combinedOutput;
      const text = twimlText(said, SAY_MAX_CHARS);
      if (ran) {
        const gather = gatherKeys(twiml, answer.action);
        for (let i = 0; i < REPEATS; i++) {
          // A pause and a cue between repetitions, so the caller hears where the answer starts.
          if (i > 0) {
            gather.add('Pause', { length: 1 });
            gather.addText('Say', 'Again.');
          }
          gather.addText('Say', `${text}.`);
        }
        gather.addText('Say', 'Over.');
        twiml.addText('Say', 'Goodbye.');
      } else {
        twiml.addText('Say', `${text}. Goodbye.`);
        twiml.add('Hangup');
      }
      Object.assign(log, {
        answer: ran ? 'spoken' : 'hung up',
        error: result.error?.code,
        phonetic,
        chars: Array.from(text).length,
      });
      break;
    }
  }
  logger.info(log, 'voice answered');
  res.type('text/xml').send(twimlDocument(twiml));
}

/** A `<Gather>` for keys ending with `#`, posting them to `action`. */
function gatherKeys(twiml: TwimlElement, action: string): TwimlElement {
  return twiml.add('Gather', {
    input: 'dtmf',
    finishOnKey: '#',
    action,
    method: 'POST',
    timeout: GATHER_TIMEOUT_SEC,
  });
}
