/**
 * Test support (through `@switchboard/core/testing`): a local WolframAlpha Full Results API
 * (`GET /v2/query`) answering in the shape WolframAlpha's `output=json` has: a wrong appid is
 * refused with error 1, "pi" gets a recorded answer, anything else is not understood (with a
 * suggestion, as WolframAlpha makes one).
 */
import { jsonAnswer, startFakeService, type FakeService } from './fake-service.js';

/** The running fake; its `url` is for `apps.wolframAlpha.apiRoot`. */
export interface FakeWolframAlpha extends FakeService {
  /** The query parameters of each request. */
  readonly queries: Readonly<Record<string, string>>[];
}

/** The input the fake answers with an HTML error page, as a proxy in the way would. */
export const HTML_INPUT = 'answer in html';

const META = {
  datatypes: '',
  timedout: '',
  timedoutpods: '',
  timing: 0.61,
  parsetiming: 0.12,
  parsetimedout: false,
  recalculate: '',
  host: 'https://www6b3.wolframalpha.com',
  server: '6',
  version: '2.6',
};

const pod = (title: string, id: string, position: number, ...plaintexts: string[]) => ({
  title,
  scanner: 'Numeric',
  id,
  position,
  error: false,
  numsubpods: plaintexts.length,
  subpods: plaintexts.map((plaintext) => ({ title: '', plaintext })),
  expressiontypes: { name: 'Default' },
});

/** The recorded shape of WolframAlpha's answer to "pi" (plaintext only). */
export const PI_ANSWER = {
  queryresult: {
    success: true,
    error: false,
    numpods: 5,
    ...META,
    inputstring: 'pi',
    pods: [
      pod('Input', 'Input', 100, 'π'),
      {
        ...pod(
          'Decimal approximation',
          'DecimalApproximation',
          200,
          '3.1415926535897932384626433832795028841971693993751058209749445923...',
        ),
        primary: true,
        states: [{ name: 'More digits', input: 'DecimalApproximation__More digits' }],
      },
      pod('Property', 'Property', 300, 'π is a transcendental number'),
      pod('Number line', 'NumberLine', 400, ''),
      pod(
        'Alternative representations',
        'AlternativeRepresentations',
        500,
        'π = 180 °',
        'π = -i log(-1)',
      ),
    ],
  },
};

/** Starts the fake on 127.0.0.1 for one appid. */
export async function startFakeWolframAlpha(appId: string): Promise<FakeWolframAlpha> {
  const queries: Readonly<Record<string, string>>[] = [];
  const html = (status: number, text: string) => ({
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html><body>${text}</body></html>`,
  });
  const service = await startFakeService(({ url }) => {
    const parsed = new URL(url, 'http://localhost');
    const query = Object.fromEntries(parsed.searchParams);
    queries.push(query);
    if (parsed.pathname !== '/v2/query') return html(404, 'Not found');
    if (query.input === HTML_INPUT) return html(200, 'Service temporarily unavailable');
    return jsonAnswer(200, answerOf(query, appId));
  });
  return { ...service, queries };
}

/** WolframAlpha's answer to a query. */
function answerOf(query: Readonly<Record<string, string>>, appId: string): unknown {
  const inputstring = query.input ?? '';
  const failed = (error: unknown, more: Record<string, unknown> = {}) => ({
    queryresult: { success: false, error, numpods: 0, ...META, inputstring, ...more },
  });
  if (query.appid === undefined || query.appid === '') {
    return failed({ code: '2', msg: 'Appid missing' });
  }
  if (query.appid !== appId) return failed({ code: '1', msg: 'Invalid appid' });
  if (inputstring.toLowerCase() === 'pi') return PI_ANSWER;
  return failed(false, { didyoumeans: { score: '0.36', level: 'medium', val: 'pie' } });
}
