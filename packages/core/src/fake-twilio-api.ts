/**
 * Test support (through `@switchboard/core/testing`): a local Twilio REST API that answers as
 * Twilio does for the few resources `.p` uses, and checks what Twilio checks: HTTP Basic auth
 * with the account's SID and auth token, the account in the path, the form fields. Like
 * Twilio's test credentials, it refuses `To` +15005550001 as invalid (error 21211).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received. */
export interface TwilioApiRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly form: Readonly<Record<string, string>>;
}

/** The running fake. */
export interface FakeTwilioApi {
  /** Its root URL, for `apps.phone.apiRoot`. */
  readonly url: string;
  readonly requests: TwilioApiRequest[];
  /** Stop answering: requests are held open until `close()`. */
  hang(): void;
  close(): Promise<void>;
}

/** The number Twilio's test credentials refuse as an invalid `To`. */
export const INVALID_TO = '+15005550001';

/** Starts the fake on 127.0.0.1 for one account. */
export async function startFakeTwilioApi(
  accountSid: string,
  authToken: string,
): Promise<FakeTwilioApi> {
  const requests: TwilioApiRequest[] = [];
  const held = new Set<IncomingMessage>();
  const state = { hanging: false, sids: 0 };
  const answerOf = answerer(accountSid, authToken, () => ++state.sids);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        form,
      };
      requests.push(request);
      if (state.hanging) {
        held.add(req);
        return;
      }
      const [status, body] = answerOf(request, req.headers.authorization);
      if (status === 401) res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hang: () => {
      state.hanging = true;
    },
    close: async () => {
      for (const req of held) req.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

type Answer = readonly [status: number, body: Readonly<Record<string, unknown>>];

/** What Twilio answers a request of the account, `nextSid` numbering the SIDs it makes. */
function answerer(
  accountSid: string,
  authToken: string,
  nextSid: () => number,
): (request: TwilioApiRequest, authorization: string | undefined) => Answer {
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const account = `/2010-04-01/Accounts/${accountSid}`;
  const fail = (status: number, code: number, message: string): Answer => [
    status,
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  ];
  const sid = (prefix: string): string => `${prefix}${String(nextSid()).padStart(32, '0')}`;
  return ({ method, path, contentType, form }, authorization) => {
    if (authorization !== expectedAuth) return fail(401, 20003, 'Authenticate');
    if (method === 'GET' && path === `${account}.json`) {
      return [200, { sid: accountSid, friendly_name: 'Fake account', status: 'active' }];
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
      return [201, { sid: sid('CA'), ...common, direction: 'outbound-api' }];
    }
    if (form.Body === undefined) return fail(400, 21602, 'Message body is required.');
    return [201, { sid: sid('SM'), ...common, body: form.Body, num_segments: '1' }];
  };
}
