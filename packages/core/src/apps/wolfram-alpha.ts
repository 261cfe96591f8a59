/**
 * `.w` WolframAlpha (DESIGN §15, reference §8.12): `.w QUESTION` asks WolframAlpha's Full
 * Results API and answers with each pod's title and plain text. WolframAlpha's own time limits
 * are cut from the command's, as laitos does, so it answers before the command times out.
 */
import { httpUrl } from '../config/schema-builders.js';
import { AppError } from '../errors.js';
import { defineApp, type App } from './app.js';
import { answerText } from './wolfram-alpha/answer-text.js';
import { quoted, serviceSelfTest, webRequest } from './web-request.js';

/** `apps.wolframAlpha`: absent, `.w` is off. */
export interface WolframAlphaSettings {
  readonly appId?: string;
  readonly apiRoot: string;
}

/** WolframAlpha's answers in plain text are a few KiB; this is far past any. */
const MAX_ANSWER_BYTES = 1024 * 1024;
// laitos' self-test limit; long enough for a cold WolframAlpha, short for a daemon's start.
const SELF_TEST_TIMEOUT_SEC = 15;
const SELF_TEST_QUESTION = 'pi';
const WOLFRAM_API = 'https://api.wolframalpha.com';

/** The `.w` app. */
export const wolframAlphaApp: App<WolframAlphaSettings, 'wolframAlpha'> = defineApp({
  trigger: '.w',
  name: 'WolframAlpha',
  docs: { enabled: 'when `apps.wolframAlpha` is set' },
  settings: {
    key: 'wolframAlpha',
    defaults: { apiRoot: WOLFRAM_API },
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['appId'],
      properties: {
        appId: {
          type: 'string',
          minLength: 1,
          description:
            'WolframAlpha AppID (developer.wolframalpha.com, "Full Results API"); write "${ENV_NAME}" to keep it out of the file.',
        },
        apiRoot: httpUrl(
          "Where WolframAlpha's API is; change it only for a proxy or a test server.",
          WOLFRAM_API,
        ),
      },
    },
  },
  isConfigured: (config) => config.apps.wolframAlpha.appId !== undefined,

  selfTest: (config, stop) =>
    serviceSelfTest('wolframAlpha', SELF_TEST_TIMEOUT_SEC, stop, (signal) =>
      ask(config.apps.wolframAlpha, SELF_TEST_QUESTION, SELF_TEST_TIMEOUT_SEC, signal),
    ),

  execute(input, ctx) {
    if (input === '') throw new AppError('usage: .w QUESTION');
    return ask(ctx.config.apps.wolframAlpha, input, ctx.timeoutSec, ctx.signal);
  },
});

/** WolframAlpha's answer to `question` in text, within `timeoutSec`. */
async function ask(
  settings: WolframAlphaSettings,
  question: string,
  timeoutSec: number,
  signal: AbortSignal,
): Promise<string> {
  const appId = settings.appId ?? '';
  const url = new URL(`${settings.apiRoot.replace(/\/+$/, '')}/v2/query`);
  const params = {
    appid: appId,
    input: question,
    format: 'plaintext',
    output: 'json',
    ...wolframTimeouts(timeoutSec),
    reinterpret: 'true',
    translation: 'true',
    ignorecase: 'true',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const secrets = [appId];
  const answer = await webRequest({
    service: 'WolframAlpha',
    url,
    signal,
    maxBytes: MAX_ANSWER_BYTES,
    secrets,
  });
  if (answer.status < 200 || answer.status >= 300) {
    const body = answer.body === '' ? '' : `: ${quoted(answer.body, secrets)}`;
    throw new AppError(`WolframAlpha answered HTTP ${answer.status}${body}`);
  }
  return answerText(answer.body, secrets);
}

/**
 * WolframAlpha's own limits, in seconds, from the command's (laitos' shares, integer division):
 * scanning, each pod, formatting and parsing get parts, the whole gets all but 2 s.
 */
export function wolframTimeouts(timeoutSec: number): Readonly<Record<string, string>> {
  const part = (twentieths: number, least: number) =>
    String(Math.max(Math.floor((timeoutSec * twentieths) / 20), least));
  return {
    scantimeout: part(3, 2),
    podtimeout: part(4, 2),
    formattimeout: part(8, 4),
    parsetimeout: part(5, 3),
    totaltimeout: String(Math.max(timeoutSec - 2, 2)),
  };
}
