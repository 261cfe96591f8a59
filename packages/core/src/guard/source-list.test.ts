import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSourceEntry, SourceList } from './source-list.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const text = (a: readonly number[]): string => a.join('.');
const toInt = (a: readonly number[]): number => a.reduce((n, octet) => n * 256 + octet, 0);

describe('SourceList', () => {
  it('holds an IPv4 address exactly when its first PREFIX bits match the range (property)', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (net, address, prefix) => {
        const list = new SourceList([`${text(net)}/${prefix}`]);
        const shift = 2 ** (32 - prefix);
        const inside = Math.floor(toInt(net) / shift) === Math.floor(toInt(address) / shift);
        assert.equal(list.has(text(address)), inside);
        // A dual-stack socket shows IPv4 clients mapped into IPv6.
        assert.equal(list.has(`::ffff:${text(address)}`), inside);
      }),
    );
  });

  it('matches single addresses, IPv6 ranges, and phone numbers and chat ids literally', () => {
    const list = new SourceList(['192.0.2.1', '2001:db8::/32', '+15551234567', '-100200']);
    assert.ok(list.has('192.0.2.1'));
    assert.ok(!list.has('192.0.2.2'));
    assert.ok(list.has('2001:db8:1::5'));
    assert.ok(!list.has('2001:db9::1'));
    assert.ok(list.has('+15551234567'));
    assert.ok(!list.has('+15551234568'));
    assert.ok(list.has('-100200'));
    assert.ok(!list.has('unknown'));
  });

  it('tells a valid entry from one that is not', () => {
    for (const good of ['10.0.0.0/8', '::1', 'fe80::/10', '+4915112345678', '123456789']) {
      assert.ok(isSourceEntry(good), good);
    }
    for (const bad of ['10.0.0.0/33', '::/129', '1.2.3', 'localhost', '10.0.0.0/x', '+1 555']) {
      assert.ok(!isSourceEntry(bad), bad);
    }
  });
});
