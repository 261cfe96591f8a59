/**
 * The text of a WolframAlpha Full Results answer (`output=json`): each pod's title and plain
 * text, in the order WolframAlpha ranks them, capped; or a one-line error for an answer that
 * has none (a question it did not understand, a wrong AppID).
 */
import { AppError } from '../../errors.js';
import { isPlainObject, jsonObject } from '../../config/json-path.js';
import { quoted } from '../web-request.js';
import { cutTo } from '../cut-text.js';

/** The most characters `.w` answers with; the rest is cut. */
export const MAX_ANSWER_CHARS = 4096;

/** What `.w` says of a question WolframAlpha did not understand. */
export const NOT_UNDERSTOOD = 'WolframAlpha did not understand the question';

interface Subpod {
  readonly title?: unknown;
  readonly plaintext?: unknown;
}
interface Pod {
  readonly title?: unknown;
  readonly subpods?: unknown;
}

/** The answer to say for `body`; throws AppError when it holds none. */
export function answerText(body: string, secrets: readonly string[]): string {
  const result = queryResult(body);
  const { error } = result;
  if (isPlainObject(error)) {
    const code = scalarText(error.code, '?');
    const msg = quoted(scalarText(error.msg, 'no message'), secrets);
    // Codes 1 and 2 are "Invalid appid" and "Appid missing".
    const hint = code === '1' || code === '2' ? '; check apps.wolframAlpha.appId' : '';
    throw new AppError(`WolframAlpha refused the query: ${msg} (error ${code}${hint})`);
  }
  if (error === true) throw new AppError('WolframAlpha reported an error without saying which');
  if (result.success !== true) throw new AppError(NOT_UNDERSTOOD + didYouMean(result.didyoumeans));
  const pods = (Array.isArray(result.pods) ? result.pods : []) as readonly Pod[];
  const blocks = pods.map(podText).filter((block) => block !== '');
  if (blocks.length === 0) throw new AppError('WolframAlpha has no answer in text for that');
  return cutTo(blocks.join('\n'), MAX_ANSWER_CHARS);
}

/** `Title: text`, a subpod's own title before its text; empty when no subpod has text. */
function podText(pod: Pod): string {
  const subpods = (Array.isArray(pod.subpods) ? pod.subpods : []) as readonly Subpod[];
  const lines: string[] = [];
  for (const { title, plaintext } of subpods) {
    const text = typeof plaintext === 'string' ? plaintext.trim() : '';
    if (text === '') continue;
    lines.push(typeof title === 'string' && title !== '' ? `${title}: ${text}` : text);
  }
  if (lines.length === 0) return '';
  const title = typeof pod.title === 'string' ? pod.title : '';
  return title === '' ? lines.join('\n') : `${title}: ${lines.join('\n')}`;
}

/** `; did you mean: X?` from WolframAlpha's suggestions (one object or a list), or nothing. */
function didYouMean(suggestions: unknown): string {
  const list: unknown[] = Array.isArray(suggestions) ? suggestions : [suggestions];
  const values = list
    .map((s) => (isPlainObject(s) && typeof s.val === 'string' ? s.val : ''))
    .filter((v) => v !== '');
  return values.length === 0 ? '' : `; did you mean: ${values.join(', ')}?`;
}

/** A string or number as text; anything else as `otherwise`. */
function scalarText(value: unknown, otherwise: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : otherwise;
}

/** `queryresult` of the JSON body; AppError when the body is not that. */
function queryResult(body: string): Readonly<Record<string, unknown>> {
  const parsed = jsonObject(body);
  if (parsed === undefined)
    throw new AppError('WolframAlpha answered with something that is not JSON');
  const result = parsed.queryresult;
  if (!isPlainObject(result)) throw new AppError('WolframAlpha answered without a query result');
  return result;
}
