import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMailbox, isOurRecipient, isPlainAddress, safeDisplayName } from './addresses.js';
import { replySubject } from './command-reply.js';

describe('isOurRecipient', () => {
  it('takes our domains in any letter case and postmaster without a domain', () => {
    assert.ok(isOurRecipient('me@SB.test', ['sb.test']));
    assert.ok(isOurRecipient('Postmaster', ['sb.test']));
  });

  it('refuses other domains, subdomains of ours, and addresses without a domain', () => {
    assert.ok(!isOurRecipient('me@other.test', ['sb.test']));
    assert.ok(!isOurRecipient('me@mail.sb.test', ['sb.test']));
    assert.ok(!isOurRecipient('me', ['sb.test']));
    assert.ok(!isOurRecipient('me@', ['sb.test']));
  });
});

describe('mailbox formatting', () => {
  it('quotes a display name and strips what could break out of the quotes', () => {
    assert.equal(
      formatMailbox('Alice "A" <x>\r\nBcc: y', 'a@b.test'),
      '"Alice A x Bcc: y" <a@b.test>',
    );
    assert.equal(formatMailbox('', 'a@b.test'), 'a@b.test');
  });

  it('cuts long names by code points', () => {
    assert.equal(safeDisplayName('😀'.repeat(100), 3), '😀😀😀');
  });

  it('accepts only plain single addresses as recipients', () => {
    assert.ok(isPlainAddress('alice@example.org'));
    assert.ok(!isPlainAddress('alice@example.org, bob@example.org'));
    assert.ok(!isPlainAddress('<alice@example.org>'));
    assert.ok(!isPlainAddress('alice'));
  });
});

describe('replySubject', () => {
  it('prefixes Re: once', () => {
    assert.equal(replySubject('uptime'), 'Re: uptime');
    assert.equal(replySubject('RE: uptime'), 'RE: uptime');
    assert.equal(replySubject(''), 'Re:');
  });
});
