import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodePairs, pairSecrets } from './code-pairs.js';
import { codeOfBase32, codeOfBytes, stepAt } from './totp.js';

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 vectors (last 6 digits)', () => {
    const secret = new TextEncoder().encode('12345678901234567890');
    const vectors: [number, string][] = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ];
    for (const [time, code] of vectors)
      assert.equal(codeOfBytes(secret, stepAt(time * 1000)), code);
  });

  it('matches laitos for a base32 account secret', () => {
    assert.equal(codeOfBase32('iuu3xchz3ftf6hdh', 49943698), '642882');
  });
});

describe('code pairs', () => {
  it('are the codes of the password and of its reverse by code point', () => {
    const { a, b } = pairSecrets('ab😀c');
    assert.equal(new TextDecoder().decode(a), 'ab😀c');
    assert.equal(new TextDecoder().decode(b), 'c😀ba');
  });

  it('accept 9 pairs per password and tell which password', () => {
    const now = Date.UTC(2026, 0, 1);
    const pairs = new CodePairs(['first-password', 'second-password'], () => now);
    const step = stepAt(now);
    const { a, b } = pairSecrets('second-password');
    let accepted = 0;
    for (const i of [-1, 0, 1]) {
      for (const j of [-1, 0, 1]) {
        const m = pairs.match(codeOfBytes(a, step + i) + codeOfBytes(b, step + j));
        assert.equal(m?.passwordIndex, 1);
        accepted++;
      }
    }
    assert.equal(accepted, 9);
    assert.equal(pairs.match(codeOfBytes(a, step + 2) + codeOfBytes(b, step)), undefined);
  });

  it('report the current pair with the seconds left', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 20);
    const [current] = new CodePairs(['first-password'], () => now).current();
    const { a, b } = pairSecrets('first-password');
    assert.equal(current?.pair, codeOfBytes(a, stepAt(now)) + codeOfBytes(b, stepAt(now)));
    assert.equal(current.secondsLeft, 10);
  });
});

describe('enrolment URIs', () => {
  it('carry the base32 of the password and of its reverse', async () => {
    const { pairEnrolmentUris } = await import('./code-pairs.js');
    const { a, b } = pairEnrolmentUris('abcdefg', 'password 1');
    // RFC 4648: "abcdefg" is MFRGGZDFMZTQ, "gfedcba" is M5TGKZDDMJQQ.
    assert.match(a, /^otpauth:\/\/totp\/Switchboard:password%201%20A\?secret=MFRGGZDFMZTQ/);
    assert.match(b, /secret=M5TGKZDDMJQQ/);
  });
});
