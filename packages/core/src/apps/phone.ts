/**
 * `.p` phone (DESIGN §15, reference §8.11): `.p c +NUMBER MESSAGE` calls the number and says the
 * message, `.p t +NUMBER MESSAGE` sends it as an SMS, through Twilio's REST API from the
 * account's own number. The call's TwiML goes inline (laitos fetched it from twimlets.com).
 */
import { httpUrl } from '../config/schema-builders.js';
import { AppError } from '../errors.js';
import { TwimlElement, twimlDocument } from '../twiml.js';
import { defineApp, type App } from './app.js';
import { E164_PATTERN, parsePhoneCommand, type PhoneCommand } from './phone/phone-command.js';
import { twilioRequest, type TwilioAccount } from './phone/twilio-rest.js';
import { serviceSelfTest } from './web-request.js';

/** `apps.phone`: absent, `.p` is off; present, all three of its credentials are required. */
export interface PhoneSettings {
  readonly accountSid?: string;
  readonly authToken?: string;
  /** The Twilio number calls and SMS come from, E.164. */
  readonly from?: string;
  readonly apiRoot: string;
}

/** Twilio takes at most this many characters of `Twiml` on a call. */
export const MAX_TWIML_CHARS = 4000;
/** How often a call says the message, as laitos did, when that fits in the TwiML. */
const SAY_TIMES = 3;
// Twilio's own limit for API calls is generous; a self-test that waits longer is a broken link.
const SELF_TEST_TIMEOUT_SEC = 15;
const TWILIO_API = 'https://api.twilio.com';

/** The `.p` app. */
export const phoneApp: App<PhoneSettings, 'phone'> = defineApp({
  trigger: '.p',
  name: 'Twilio call and SMS',
  docs: { enabled: 'when `apps.phone` is set' },
  settings: {
    key: 'phone',
    defaults: { apiRoot: TWILIO_API },
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['accountSid', 'authToken', 'from'],
      properties: {
        accountSid: {
          type: 'string',
          description: 'Twilio Account SID (AC and 32 hex digits, on the console dashboard).',
          pattern: '^AC[0-9a-fA-F]{32}$',
          expect: 'AC and 32 hex digits',
        },
        authToken: {
          type: 'string',
          minLength: 1,
          description:
            'Twilio auth token of that account; write "${ENV_NAME}" to keep it out of the file.',
        },
        from: {
          type: 'string',
          description: 'The Twilio number calls and SMS come from, E.164 (e.g. +15551234567).',
          pattern: E164_PATTERN,
          expect: 'a phone number in E.164 form, e.g. +15551234567',
        },
        apiRoot: httpUrl(
          "Where Twilio's REST API is; change it only for a proxy or a test server.",
          TWILIO_API,
        ),
      },
    },
  },
  isConfigured: (config) => config.apps.phone.accountSid !== undefined,

  selfTest: (config, stop) =>
    serviceSelfTest('phone', SELF_TEST_TIMEOUT_SEC, stop, async (signal) => {
      const account = accountOf(config.apps.phone);
      const answer = await twilioRequest(account, 'the credentials', '.json', undefined, signal);
      if (typeof answer.status === 'string' && answer.status !== 'active') {
        throw new AppError(`account ${account.accountSid} is ${answer.status}`);
      }
    }),

  async execute(input, ctx) {
    const command = parsePhoneCommand(input);
    const settings = ctx.config.apps.phone;
    const from = settings.from ?? '';
    const call = command.kind === 'call';
    const answer = await twilioRequest(
      accountOf(settings),
      call ? 'the call' : 'the SMS',
      call ? '/Calls.json' : '/Messages.json',
      call
        ? { To: command.to, From: from, Twiml: spoken(command) }
        : { To: command.to, From: from, Body: command.message },
      ctx.signal,
    );
    const sid = typeof answer.sid === 'string' ? answer.sid : 'without a SID';
    const status = typeof answer.status === 'string' ? `, ${answer.status}` : '';
    return call
      ? `calling ${command.to}: call ${sid}${status}`
      : `SMS to ${command.to}: message ${sid}${status}`;
  },
});

/** The account of configured settings (the schema requires all of them together). */
function accountOf(settings: PhoneSettings): TwilioAccount {
  return {
    accountSid: settings.accountSid ?? '',
    authToken: settings.authToken ?? '',
    apiRoot: settings.apiRoot,
  };
}

/** The call's TwiML: the message said three times a second apart, or once if that is too long. */
function spoken(command: PhoneCommand): string {
  for (const times of [SAY_TIMES, 1]) {
    const response = new TwimlElement('Response');
    for (let i = 0; i < times; i++) {
      if (i > 0) response.add('Pause', { length: 1 });
      response.addText('Say', command.message);
    }
    const twiml = twimlDocument(response);
    if (twiml.length <= MAX_TWIML_CHARS) return twiml;
  }
  throw new AppError(
    `message too long for a call: Twilio takes at most ${MAX_TWIML_CHARS} characters of TwiML`,
  );
}
