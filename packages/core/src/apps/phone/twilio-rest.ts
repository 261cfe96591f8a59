/**
 * Twilio's REST API (2010-04-01) as `.p` uses it: HTTP Basic auth with the Account SID and
 * auth token, form bodies, JSON answers. Called with fetch, not the twilio package: its client
 * has api.twilio.com built in (edge and region only rename the host inside twilio.com), takes
 * no AbortSignal, and loading it costs ~28 MiB and ~0.7 s (docs/apps.md "Why not twilio-node";
 * service-apps.test.ts checks that both send the same request).
 */
import { AppError } from '../../errors.js';
import { jsonObject } from '../../config/json-path.js';
import { quoted, webRequest } from '../web-request.js';

/** Whose account, and where its API is. */
export interface TwilioAccount {
  readonly accountSid: string;
  readonly authToken: string;
  /** E.g. https://api.twilio.com; a path after the host is kept (a proxy's prefix). */
  readonly apiRoot: string;
}

/** Twilio's answers are a few KiB; anything past this is not Twilio. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Calls `/2010-04-01/Accounts/{Sid}{path}`: a POST of `form` when given, else a GET. Resolves
 * to the JSON answer; throws AppError with Twilio's message and code, worded as a refusal of
 * `what` ("the SMS").
 */
export async function twilioRequest(
  account: TwilioAccount,
  what: string,
  path: string,
  form: Readonly<Record<string, string>> | undefined,
  signal: AbortSignal,
): Promise<Readonly<Record<string, unknown>>> {
  const root = account.apiRoot.replace(/\/+$/, '');
  const secrets = [account.authToken];
  const answer = await webRequest({
    service: 'Twilio',
    url: new URL(`${root}/2010-04-01/Accounts/${account.accountSid}${path}`),
    method: form === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
      accept: 'application/json',
    },
    ...(form === undefined ? {} : { form }),
    signal,
    maxBytes: MAX_ANSWER_BYTES,
    secrets,
  });
  const json = jsonObject(answer.body);
  if (answer.status >= 200 && answer.status < 300) {
    if (json === undefined) {
      throw new AppError(`Twilio answered ${what} with HTTP ${answer.status} but no JSON`);
    }
    return json;
  }
  // Twilio's errors: {"code": 21211, "message": "...", "more_info": "...", "status": 400}.
  const message = typeof json?.message === 'string' ? json.message : undefined;
  if (message === undefined) {
    const body = answer.body === '' ? 'an empty body' : quoted(answer.body, secrets);
    throw new AppError(`Twilio refused ${what}: HTTP ${answer.status}, ${body}`);
  }
  const code = typeof json?.code === 'number' ? `error ${json.code}` : `HTTP ${answer.status}`;
  const hint =
    answer.status === 401 ? '; check apps.phone.accountSid and apps.phone.authToken' : '';
  throw new AppError(`Twilio refused ${what}: ${quoted(message, secrets)} (${code}${hint})`);
}
