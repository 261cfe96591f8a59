/**
 * Test support (through `@switchboard/core/testing`): a local Twilio REST API that answers as
 * Twilio does for the few resources `.p` uses, and checks what Twilio checks: HTTP Basic auth
 * with the account's SID and auth token, the account in the path, the form fields. Like
 * Twilio's test credentials, it refuses `To` +15005550001 as invalid (error 21211).
 */
import { jsonAnswer, startFakeService, type FakeAnswer, type FakeService } from './fake-service.js';

/** A request the fake received. */
export interface TwilioApiRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly form: Readonly<Record<string, string>>;
}

/** The running fake; its `url` is for `apps.phone.apiRoot`. */
export interface FakeTwilioApi extends FakeService {
  readonly requests: TwilioApiRequest[];
}

/** The number Twilio's test credentials refuse as an invalid `To`. */
export const INVALID_TO = '+15005550001';

/** Starts the fake on 127.0.0.1 for one account. */
export async function startFakeTwilioApi(
  accountSid: string,
  authToken: string,
): Promise<FakeTwilioApi> {
  const requests: TwilioApiRequest[] = [];
  const answerOf = answerer(accountSid, authToken);
  const service = await startFakeService(({ method, url, headers, body }) => {
    const request = {
      method,
      path: url,
      contentType: headers['content-type'] ?? '',
      form: Object.fromEntries(new URLSearchParams(body)),
    };
    requests.push(request);
    return answerOf(request, headers.authorization);
  });
  return { ...service, requests };
}

/** What Twilio answers the requests of the account. */
function answerer(
  accountSid: string,
  authToken: string,
): (request: TwilioApiRequest, authorization: string | undefined) => FakeAnswer {
  const made = { sids: 0 };
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const account = `/2010-04-01/Accounts/${accountSid}`;
  const fail = (status: number, code: number, message: string): FakeAnswer =>
    jsonAnswer(status, {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    });
  const sid = (prefix: string): string => `${prefix}${String(++made.sids).padStart(32, '0')}`;
  return ({ method, path, contentType, form }, authorization) => {
    if (authorization !== expectedAuth) {
      const refusal = fail(401, 20003, 'Authenticate');
      return {
        ...refusal,
        headers: { ...refusal.headers, 'www-authenticate': 'Basic realm="Twilio API"' },
      };
    }
    if (method === 'GET' && path === `${account}.json`) {
      return jsonAnswer(200, { sid: accountSid, friendly_name: 'Fake account', status: 'active' });
    }
    const resource = method === 'POST' ? /^(.*)\/(Calls|Messages)\.json$/.exec(path) : null;
    if (resource?.[1] !== account || !contentType.startsWith('application/x-www-form-urlencoded')) {
      return fail(404, 20404, `The requested resource ${path} was not found`);
    }
    if (form.To === undefined) return fail(400, 21604, "A 'To' phone number is required.");
    if (form.From === undefined) return fail(400, 21603, "A 'From' phone number is required.");
    if (form.To === INVALID_TO) return fail(400, 21211, `Invalid 'To' Phone Number: ${form.To}`);
    const common = { account_sid: accountSid, to: form.To, from: form.From, status: 'queued' };
    if (resource[2] === 'Calls') {
      if (form.Twiml === undefined && form.Url === undefined) {
        return fail(400, 21205, 'Url parameter is required.');
      }
      return jsonAnswer(201, { sid: sid('CA'), ...common, direction: 'outbound-api' });
    }
    if (form.Body === undefined) return fail(400, 21602, 'Message body is required.');
    return jsonAnswer(201, { sid: sid('SM'), ...common, body: form.Body, num_segments: '1' });
  };
}
