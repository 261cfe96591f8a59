import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigKeyError } from './config-key-error.js';
import { joinHostPort, parseListen } from './listen-address.js';

describe('parseListen', () => {
  it('splits host:port and unwraps IPv6 brackets', () => {
    assert.deepEqual(parseListen('127.0.0.1:2525'), { host: '127.0.0.1', port: 2525 });
    assert.deepEqual(parseListen('[::1]:25'), { host: '::1', port: 25 });
    assert.deepEqual(parseListen('localhost:0'), { host: 'localhost', port: 0 });
  });

  it('refuses anything else, naming the key', () => {
    assert.throws(
      () => parseListen('2525', 'smtp.listen'),
      /^ConfigKeyError: smtp\.listen: must be host:port/,
    );
    for (const bad of ['host:99999', 'host:', 'host:8o', ':80', 'host:-1']) {
      assert.throws(() => parseListen(bad), ConfigKeyError, bad);
    }
  });

  it('joins them again, IPv6 in brackets', () => {
    assert.equal(joinHostPort('::1', 25), '[::1]:25');
    assert.equal(joinHostPort('127.0.0.1', 8080), '127.0.0.1:8080');
  });
});
