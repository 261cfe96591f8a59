import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TelegramError } from 'telegraf';
import { classifyFailure, scrub } from './api-failure.js';

const TOKEN = '123456:AA-secret/token+x';

describe('classifyFailure', () => {
  it('sorts API answers by what a caller should do', () => {
    const kind = (code: number): string =>
      classifyFailure(new TelegramError({ error_code: code, description: 'x' }), []).kind;
    assert.equal(kind(401), 'tokenRejected');
    assert.equal(kind(404), 'tokenRejected');
    assert.equal(kind(409), 'conflict');
    assert.equal(kind(429), 'transient');
    assert.equal(kind(502), 'transient');
    assert.equal(kind(400), 'refused');
    assert.equal(kind(403), 'refused');
  });

  it('keeps retry_after', () => {
    const err = new TelegramError({
      error_code: 429,
      description: 'Too Many Requests',
      parameters: { retry_after: 7 },
    });
    assert.equal(classifyFailure(err, []).retryAfterSec, 7);
  });

  it('treats network errors as transient and our own abort as aborted', () => {
    const reset = Object.assign(new Error(`request to https://api/bot${TOKEN}/getMe failed`), {
      name: 'FetchError',
    });
    const failure = classifyFailure(reset, [TOKEN]);
    assert.equal(failure.kind, 'transient');
    assert.ok(!failure.text.includes(TOKEN));
    const stop = new AbortController();
    stop.abort();
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(classifyFailure(abort, [], stop.signal).kind, 'aborted');
    // A per-call timeout also surfaces as AbortError, but the channel is still running.
    assert.equal(classifyFailure(abort, [], new AbortController().signal).kind, 'transient');
  });
});

describe('scrub', () => {
  it('redacts secrets, also URL-encoded, and keeps one line', () => {
    const text = `url /bot${TOKEN}/x and ${encodeURIComponent(TOKEN)}\n  at stack`;
    assert.equal(scrub(text, [TOKEN, '']), 'url /bot[redacted]/x and [redacted] at stack');
  });
});
