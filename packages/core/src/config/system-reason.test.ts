import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { ConfigKeyError, failureText } from './config-key-error.js';
import { systemReason } from './system-reason.js';

describe('systemReason', () => {
  it('turns real system errors into plain words', async () => {
    const missing = await readFile('/nonexistent/file').catch((err: unknown) => err);
    assert.equal(systemReason(missing), 'no such file');
    const notDir = await mkdir('/dev/null/x', { recursive: true }).catch((err: unknown) => err);
    assert.equal(systemReason(notDir), 'a part of the path is not a directory');

    const first = createServer().listen(0, '127.0.0.1');
    await once(first, 'listening');
    const second = createServer().listen((first.address() as { port: number }).port, '127.0.0.1');
    const [inUse] = (await once(second, 'error')) as [unknown];
    first.close();
    assert.equal(systemReason(inUse), 'address already in use');
  });

  it('names unknown codes and keeps the message of other errors', () => {
    assert.equal(
      systemReason(Object.assign(new Error('x'), { code: 'EWHATEVER' })),
      'system error EWHATEVER',
    );
    assert.equal(systemReason(new Error('plain words')), 'plain words');
    assert.equal(systemReason('thrown text'), 'thrown text');
  });
});

describe('ConfigKeyError', () => {
  it('names the key, what was being done and the reason', () => {
    const error = ConfigKeyError.from(
      'mail.outbox',
      Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES' }),
      'cannot use /srv/outbox',
    );
    assert.equal(error.message, 'mail.outbox: cannot use /srv/outbox: permission denied');
    assert.equal(error.key, 'mail.outbox');
    assert.equal(failureText(error), error.message);
    assert.equal(
      failureText(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })),
      'address already in use',
    );
  });
});
