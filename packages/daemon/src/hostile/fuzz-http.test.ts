/**
 * Hostile input on the HTTP channel of a real daemon (`switchboard run` as a child process),
 * sent over raw sockets: random command texts, bodies, content types, methods, paths, headers
 * and malformed HTTP. Every answer must be free of 5xx and of stack traces or library text;
 * the API keeps its answer shape and status contract; the daemon stays up throughout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  commandText,
  excerpt,
  fuzzParameters,
  isDisruptive,
  nastyText,
  PASSWORD,
  startFuzzDaemon,
  textRule,
  type FuzzDaemon,
} from './fuzz-rig.js';
import {
  exchange,
  failOn,
  httpProblems,
  send,
  type Exchange,
  type HttpAnswer,
  type RawRequest,
} from './raw-http.js';

/** Statuses the JSON API may answer a POST with (DESIGN §4; 503 needs lockdown). */
const API_STATUSES = new Set([200, 400, 401, 403, 413, 429]);
/** Bodies up to this size are read whole before any answer, so an answer must arrive. */
const SURELY_READ = 60_000;

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=latin1',
  'application/json; charset=utf-16',
];
const FORM_TYPE = 'application/x-www-form-urlencoded';
const FORM_TYPES = [
  FORM_TYPE,
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=bogus',
];
const OTHER_TYPES = [
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json-patch+json',
  '*/*',
  '',
  ';',
  'application/json\u0000',
  'application/x-www-form-urlencoded\u00ff',
];

/** A header value without line breaks (those would end the head, not test a value). */
const headerValue = (text: string): string => text.replace(/[\r\n]/g, ' ');

/** Percent-encodes the UTF-8 of `text` but unreserved characters (a lone surrogate: U+FFFD). */
function formEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Problems of an API answer's shape and status. */
function apiProblems(answer: HttpAnswer): string[] {
  const type = answer.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) return [`the API answered ${excerpt(type)}, not JSON`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return ['the API answer is not JSON'];
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('ok' in parsed && 'output' in parsed && 'error' in parsed) ||
    typeof parsed.ok !== 'boolean' ||
    typeof parsed.output !== 'string' ||
    !(parsed.error === null || typeof parsed.error === 'string')
  ) {
    return ['the API answer is not {ok, output, error}'];
  }
  const problems: string[] = [];
  if (!API_STATUSES.has(answer.status)) problems.push(`API status ${String(answer.status)}`);
  if (parsed.ok && (answer.status !== 200 || parsed.error !== null)) {
    problems.push('ok: true with a refusal');
  }
  if (!parsed.ok && (parsed.error === null || parsed.error === '')) {
    problems.push('ok: false without an error text');
  }
  return problems;
}

/** The status a command text must get whatever the password (see textRule), if any. */
function requiredStatus(command: string): number | undefined {
  const rule = textRule(command);
  return rule === undefined ? undefined : STATUS_OF_RULE[rule];
}

const STATUS_OF_RULE = { TOO_LONG: 413, INVALID_TEXT: 400 } as const;

/** Fails unless the first answer has `status` (when one is required). */
function expectStatus(ex: Exchange, status: number | undefined, why: string): string[] {
  const first = ex.answers[0];
  if (status === undefined || first === undefined || first.status === status) return [];
  return [`${why}: expected ${String(status)}, got ${String(first.status)}`];
}

/** A form body, and the cmd it carries when it carries exactly one. */
interface FormCase {
  readonly body: Buffer | string;
  readonly command?: string;
}

/** How the command reaches the API: the JSON shapes a client may send. */
const jsonEnvelope = fc.constantFrom(
  (c: string) => JSON.stringify({ command: c }),
  (c: string) => JSON.stringify({ command: c, extra: [1, { command: 'x' }] }),
  (c: string) => `  ${JSON.stringify({ command: c })}\n`,
  (c: string) => `{"command":${JSON.stringify(c)},"command":${JSON.stringify(`${c}!`)}}`,
  (c: string) => `{"__proto__":{"command":${JSON.stringify(c)}}}`,
  (c: string) => JSON.stringify({ constructor: { prototype: { command: c } } }),
);

/** A body for POST /api/command or POST /, of any shape. */
const anyBody: fc.Arbitrary<Buffer | string> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  // Cut short: not JSON any more.
  fc.jsonValue().map((value) => JSON.stringify({ command: value }).slice(0, -1)),
  fc.record({ command: fc.jsonValue() }).map((value) => JSON.stringify(value)),
  fc
    .array(fc.tuple(fc.constantFrom('command', 'cmd', 'Command', 'command[]', ''), commandText), {
      maxLength: 4,
    })
    .map((fields) => fields.map(([k, v]) => `${k}=${formEncode(v)}`).join('&')),
  fc
    .tuple(commandText, fc.constantFrom('%ZZ', '%', '%00', '%C3%28', '%ED%A0%80', '+&=&', '&&'))
    .map(([c, junk]) => `command=${formEncode(c)}${junk}&cmd=${junk}${formEncode(c)}`),
  // More fields than a form parser takes (body-parser stops at 1000).
  fc.integer({ min: 900, max: 3000 }).map((n) => `${'a=1&'.repeat(n)}cmd=x&command=x`),
  fc
    .tuple(fc.integer({ min: 60_000, max: 70_000 }), fc.constantFrom('json', 'form', 'raw'))
    .map(([size, kind]) => {
      const filler = 'a'.repeat(size);
      if (kind === 'json') return JSON.stringify({ command: `${PASSWORD} .s ${filler}` });
      return kind === 'form' ? `command=${filler}` : filler;
    }),
);

/** No Content-Encoding, or one a client may claim (the body is never really compressed). */
const contentEncoding = fc.option(
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-bogus', 'gzip, deflate', 'GZIP'),
  { freq: 3 },
);

/** The Content-Type header, and Content-Encoding when there is one. */
const bodyHeaders = (type: string, encoding: string | null): [string, string][] => [
  ['Content-Type', type],
  ...(encoding === null ? [] : [['Content-Encoding', encoding] as [string, string]]),
];

const methods = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'),
  fc.constantFrom('get', 'PROPFIND', 'M-SEARCH', 'SEARCH', 'QUERY', 'LINK'),
  fc.stringMatching(/^[A-Z]{1,12}$/),
);

const paths = fc.oneof(
  fc.constantFrom(
    '/',
    '/api/command',
    '/api/command/',
    '/API/COMMAND',
    '/api/command?command=x',
    '/healthz',
    '/healthz?x=%00',
    '/api',
    '/api/',
    '/api/commands',
    '/api/openapi.json',
    '/metrics',
    '/console',
    '/twilio/sms',
    '/tg',
    '/%',
    '/%00',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '//api//command',
    '*',
    'http://example.com/api/command',
    '/?cmd=%ff',
  ),
  fc
    .array(nastyText(8).map(formEncode), { maxLength: 4 })
    .map((segments) => `/${segments.join('/')}`),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'Content-Type',
    'Accept',
    'Accept-Charset',
    'Accept-Encoding',
    'Content-Encoding',
    'X-Forwarded-For',
    'Forwarded',
    'X-Real-IP',
    'Origin',
    'Cookie',
    'Authorization',
    'Expect',
    'Range',
    'If-None-Match',
    'X-Twilio-Signature',
    'X-Telegram-Bot-Api-Secret-Token',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
);

const headerPairs = fc.array(
  fc.tuple(
    headerName,
    fc.oneof(
      nastyText(30).map(headerValue),
      fc.constantFrom('gzip', 'deflate', 'br', 'bytes=0-1', '100-continue', '1.2.3.4, ::1', '*'),
    ),
  ),
  { maxLength: 5 },
);

describe('hostile HTTP against a running daemon', () => {
  let rig: FuzzDaemon;
  let port = 0;

  before(async () => {
    rig = await startFuzzDaemon();
    port = rig.httpPort;
  });

  after(async () => {
    assert.equal(await rig.stop(), 0);
  });

  it('answers random JSON commands on /api/command within the API contract', async () => {
    await fc.assert(
      fc.asyncProperty(
        commandText,
        jsonEnvelope,
        fc.constantFrom(...JSON_TYPES),
        async (command, envelope, type) => {
          const body = envelope(command);
          const ex = await send(port, {
            method: 'POST',
            target: '/api/command',
            headers: [['Content-Type', type]],
            body,
          });
          const size = Buffer.byteLength(body);
          const problems = httpProblems(ex, { required: size < SURELY_READ });
          const answer = ex.answers[0];
          if (answer !== undefined) {
            problems.push(...apiProblems(answer));
            // Only the plain envelope is sure to carry `command` (a duplicate key keeps the last).
            const sure = body === JSON.stringify({ command }) && size <= 64 * 1024;
            if (sure) problems.push(...expectStatus(ex, requiredStatus(command), 'text rule'));
          }
          failOn(problems, ex);
        },
      ),
      fuzzParameters(150),
    );
    await rig.assertAlive();
  });

  it('refuses arbitrary bodies and content types on /api/command cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.constantFrom(...JSON_TYPES, ...FORM_TYPES, ...OTHER_TYPES),
        contentEncoding,
        async (body, type, encoding) => {
          const ex = await send(port, {
            method: 'POST',
            target: '/api/command',
            headers: bodyHeaders(type, encoding),
            body,
          });
          const problems = httpProblems(ex, { required: Buffer.byteLength(body) < SURELY_READ });
          const answer = ex.answers[0];
          // Node's own parser refuses a NUL in a header with a bare 400 before any route runs.
          if (answer !== undefined && !type.includes('\u0000')) {
            problems.push(...apiProblems(answer));
          }
          failOn(problems, ex);
        },
      ),
      fuzzParameters(120),
    );
    await rig.assertAlive();
  });

  it('answers the web form (POST /) for any cmd field and any body', async () => {
    const formBody = fc.oneof<fc.Arbitrary<FormCase>[]>(
      commandText.map((c) => ({ body: `cmd=${formEncode(c)}`, command: c })),
      commandText.map((c) => ({ body: `cmd=${formEncode(c)}&cmd=${formEncode(c)}` })),
      anyBody.map((body) => ({ body })),
    );
    const formType = fc.oneof(
      { weight: 4, arbitrary: fc.constant(FORM_TYPE) },
      { weight: 1, arbitrary: fc.constantFrom(...FORM_TYPES, ...OTHER_TYPES) },
    );
    await fc.assert(
      fc.asyncProperty(formBody, formType, contentEncoding, async (form, type, encoding) => {
        const ex = await send(port, {
          method: 'POST',
          target: '/',
          headers: bodyHeaders(type, encoding),
          body: form.body,
        });
        const problems = httpProblems(ex, { required: Buffer.byteLength(form.body) < SURELY_READ });
        if (form.command !== undefined && type === FORM_TYPE && encoding === null) {
          const seen = form.command.toWellFormed();
          problems.push(...expectStatus(ex, requiredStatus(seen), 'text rule on the form'));
        }
        failOn(problems, ex);
      }),
      fuzzParameters(80),
    );
    await rig.assertAlive();
  });

  it('answers random methods, paths and headers without a 5xx or a leak', async () => {
    await fc.assert(
      fc.asyncProperty(
        methods,
        paths,
        headerPairs,
        fc.oneof(fc.constant(''), nastyText(60)),
        async (method, target, headers, body) => {
          const request: RawRequest = { method, target, headers, body };
          const ex = await send(port, request);
          // Node hands CONNECT and Upgrade to listeners the daemon does not have: it may close.
          const upgrade = method === 'CONNECT' || headers.some(([n]) => /^upgrade$/i.test(n));
          failOn(httpProblems(ex, { required: !upgrade }), ex);
        },
      ),
      fuzzParameters(80),
    );
    await rig.assertAlive();
  });

  it('survives malformed HTTP on raw sockets', async () => {
    const command = JSON.stringify({ command: `${PASSWORD} .s date` });
    const head = (extra: string, target = '/api/command') =>
      `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${extra}`;
    const malformed: fc.Arbitrary<Buffer | string> = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
      nastyText(200),
      // Content-Length lies: longer, shorter, negative, not a number, twice, with chunked.
      fc
        .tuple(
          fc.oneof(
            fc.integer({ min: -5, max: command.length * 3 }).map(String),
            fc.constantFrom('1e3', '0x10', ' 5', '99999999999999999999', '', 'abc', '65537'),
          ),
          fc.constantFrom('', 'Content-Length: 3\r\n', 'Transfer-Encoding: chunked\r\n'),
        )
        .map(([length, more]) => `${head(`Content-Length: ${length}\r\n${more}`)}\r\n${command}`),
      // Chunked bodies: well-formed, cut, with bad sizes, extensions and trailers.
      fc
        .constantFrom(
          `5\r\n{"com\r\n0\r\n\r\n`,
          `${command.length.toString(16)}\r\n${command}\r\n0\r\n\r\n`,
          `zz\r\n${command}\r\n0\r\n\r\n`,
          `ffffffffffffffff\r\n${command}`,
          `${command.length.toString(16)};ext=1\r\n${command}\r\n0\r\nX-Trailer: 1\r\n\r\n`,
          `-1\r\n\r\n`,
        )
        .map((chunks) => `${head('Transfer-Encoding: chunked\r\n')}\r\n${chunks}`),
      fc.constantFrom(
        `${head('Transfer-Encoding: gzip\r\n')}\r\n${command}`,
        `${head('Transfer-Encoding: chunked, chunked\r\n')}\r\n0\r\n\r\n`,
        `${head('Content-Encoding: gzip\r\nContent-Length: 4\r\n')}\r\nabcd`,
        `${head('Content-Encoding: deflate\r\nContent-Length: 2\r\n')}\r\n\u0078\u009c`,
        `${head(`Content-Length: ${String(command.length)}\r\n`)}\n${command}`,
        `${head(`Content-Length: ${String(command.length)}\r\n folded: value\r\n`)}\r\n${command}`,
        `${head('No colon here\r\n')}\r\n`,
        `${head(`X-Big: ${'a'.repeat(20_000)}\r\n`)}\r\n`,
        `${head(`Content-Length: ${String(command.length)}\r\n`, '/api/command\u0000')}\r\n${command}`,
        `GET /healthz\r\n\r\n`,
        `GET /healthz HTTP/1.0\r\n\r\n`,
        `GET /healthz HTTP/9.9\r\n\r\n`,
        `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`,
        `GET / HTTP/1.1\nHost: x\n\n`,
        `\r\n\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`,
        `GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n`,
        `GET /healthz HTTP/1.1\r\n\r\n`,
      ),
      // Pipelined requests, some cut short.
      fc.array(commandText, { minLength: 2, maxLength: 4 }).map((texts) =>
        texts
          .map((t) => {
            const b = JSON.stringify({ command: t });
            return `${head(`Content-Length: ${String(Buffer.byteLength(b))}\r\nConnection: keep-alive\r\n`)}\r\n${b}`;
          })
          .join(''),
      ),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async (raw) => {
        const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
        if (isDisruptive(bytes.toString('utf8'))) return;
        const ex = await exchange(port, bytes, true);
        failOn(httpProblems(ex, { required: false }), ex);
      }),
      fuzzParameters(100),
    );
    await rig.assertAlive();
  });

  it('is still up afterwards, and logged no error from all of it', async () => {
    await rig.assertAlive();
    rig.assertNoErrorLogged();
  });
});
