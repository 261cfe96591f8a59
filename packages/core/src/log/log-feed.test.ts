import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogging } from './logger.js';

describe('the live log feed', () => {
  it('hands each line the logger writes to every listener, redacted, until it unsubscribes', () => {
    const { logger, feed } = createLogging({ destination: { write: () => undefined } });
    const seen: string[] = [];
    const stop = feed.subscribe((line) => seen.push(line));
    logger.info({ password: 'hunter2' }, 'first');
    stop();
    logger.info('second');
    assert.equal(seen.length, 1);
    const line = JSON.parse(seen[0] ?? '') as { msg: string; password: string };
    assert.equal(line.msg, 'first');
    assert.equal(line.password, '[redacted]');
    assert.equal(feed.size, 0);
  });
});
