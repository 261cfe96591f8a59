import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../errors.js';
import { PI_ANSWER } from '../../testing.js';
import { answerText, MAX_ANSWER_CHARS, NOT_UNDERSTOOD } from './answer-text.js';

const APP_ID = 'DEMO-APPID-42';
const text = (value: unknown) => answerText(JSON.stringify(value), [APP_ID]);
const refusal = (body: string): string => {
  try {
    answerText(body, [APP_ID]);
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err.message;
  }
  assert.fail('no error');
};
const result = (queryresult: Record<string, unknown>) => JSON.stringify({ queryresult });

describe('a WolframAlpha answer in text', () => {
  it("is each pod's title and plain text, skipping pods without text", () => {
    assert.equal(
      text(PI_ANSWER),
      [
        'Input: π',
        'Decimal approximation: 3.1415926535897932384626433832795028841971693993751058209749445923...',
        'Property: π is a transcendental number',
        'Alternative representations: π = 180 °',
        'π = -i log(-1)',
      ].join('\n'),
    );
  });

  it("puts a subpod's own title before its text (laitos repeated the pod's)", () => {
    const pods = [
      {
        title: 'Roots',
        subpods: [
          { title: 'Real root', plaintext: 'x = 2' },
          { title: '', plaintext: '  x = -2 \n' },
        ],
      },
      { title: 'Weather', subpods: [{ title: '', plaintext: 'temperature | 3 °C\nwind | 4 m/s' }] },
    ];
    assert.equal(
      text({ queryresult: { success: true, error: false, pods } }),
      'Roots: Real root: x = 2\nx = -2\nWeather: temperature | 3 °C\nwind | 4 m/s',
    );
  });

  it(`is cut at ${MAX_ANSWER_CHARS} characters`, () => {
    const pods = Array.from({ length: 100 }, (_, i) => ({
      title: `Pod ${i}`,
      subpods: [{ title: '', plaintext: 'é'.repeat(100) }],
    }));
    const answer = text({ queryresult: { success: true, error: false, pods } });
    assert.equal(Array.from(answer).length, MAX_ANSWER_CHARS);
    assert.ok(answer.endsWith('…'));
  });

  it('says a question was not understood, with the suggestion WolframAlpha made', () => {
    const didyoumeans = { score: '0.36', level: 'medium', val: 'pie' };
    assert.equal(
      refusal(result({ success: false, error: false, numpods: 0, didyoumeans })),
      `${NOT_UNDERSTOOD}; did you mean: pie?`,
    );
    assert.equal(
      refusal(result({ success: false, error: false, didyoumeans: [{ val: 'a' }, { val: 'b' }] })),
      `${NOT_UNDERSTOOD}; did you mean: a, b?`,
    );
    assert.equal(refusal(result({ success: false, error: false })), NOT_UNDERSTOOD);
  });

  it('says a wrong AppID was refused, and never repeats it', () => {
    const error = { code: '1', msg: `Invalid appid ${APP_ID}` };
    assert.equal(
      refusal(result({ success: false, error })),
      'WolframAlpha refused the query: Invalid appid <secret> (error 1; check apps.wolframAlpha.appId)',
    );
  });

  it('refuses what is not an answer in one line', () => {
    assert.equal(
      refusal('<html>oops</html>'),
      'WolframAlpha answered with something that is not JSON',
    );
    assert.equal(refusal('{"x": 1}'), 'WolframAlpha answered without a query result');
    assert.equal(
      refusal(result({ success: true, error: false, pods: [] })),
      'WolframAlpha has no answer in text for that',
    );
  });

  it('never throws anything but a one-line AppError, and never says more than the cap', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const body of [JSON.stringify(value), JSON.stringify({ queryresult: value })]) {
          try {
            assert.ok(Array.from(answerText(body, [APP_ID])).length <= MAX_ANSWER_CHARS);
          } catch (err) {
            assert.ok(err instanceof AppError, String(err));
            assert.doesNotMatch(err.message, /\n/);
          }
        }
      }),
    );
  });
});
