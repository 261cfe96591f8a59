import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_LIST_COUNT, parseImapInput } from './imap-input.js';

const nickname = fc.stringMatching(/^[A-Za-z0-9_.@-]{1,24}$/);
const number = fc.nat({ max: 10_000_000 });

describe('.i input', () => {
  it('reads .il ACCOUNT SKIP COUNT and .ir ACCOUNT N, hyphenated nicknames included', () => {
    assert.deepEqual(parseImapInput('l work-mail 0 10'), {
      kind: 'list',
      account: 'work-mail',
      skip: 0,
      count: 10,
    });
    assert.deepEqual(parseImapInput('R personal-mail 5'), {
      kind: 'read',
      account: 'personal-mail',
      number: 5,
    });
    // laitos' own forms: no space after the sub-command, a comma between the numbers.
    assert.deepEqual(parseImapInput('ltest 1, 2'), {
      kind: 'list',
      account: 'test',
      skip: 1,
      count: 2,
    });
    assert.deepEqual(parseImapInput('rtest 1'), { kind: 'read', account: 'test', number: 1 });
  });

  it('clamps COUNT to 1..MAX_LIST_COUNT', () => {
    assert.equal(parseImapInput('l a 0 0')?.kind, 'list');
    assert.deepEqual(parseImapInput('l a 0 0'), { kind: 'list', account: 'a', skip: 0, count: 1 });
    assert.deepEqual(parseImapInput('l a 3 99999999999999999999999'), {
      kind: 'list',
      account: 'a',
      skip: 3,
      count: MAX_LIST_COUNT,
    });
  });

  it('gives nothing (the usage line) for every other form', () => {
    for (const bad of [
      '',
      'l',
      'r',
      'la 1, b',
      'ra b',
      '!@$!@%#%#$@%',
      'x a 1',
      'l a 1',
      'r a 1 2',
    ]) {
      assert.equal(parseImapInput(bad), undefined, bad);
    }
  });

  it('round-trips any nickname and numbers, case of the sub-command ignored', () => {
    fc.assert(
      fc.property(nickname, number, number, fc.boolean(), (account, skip, count, upper) => {
        const l = upper ? 'L' : 'l';
        assert.deepEqual(parseImapInput(`${l} ${account} ${String(skip)} ${String(count)}`), {
          kind: 'list',
          account,
          skip,
          count: Math.min(Math.max(count, 1), MAX_LIST_COUNT),
        });
        assert.deepEqual(parseImapInput(`${upper ? 'R' : 'r'}  ${account}  ${String(skip)}`), {
          kind: 'read',
          account,
          number: skip,
        });
      }),
    );
  });

  it('never throws, and what it gives is within bounds', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const parsed = parseImapInput(input);
        if (parsed?.kind === 'list') {
          assert.ok(Number.isSafeInteger(parsed.skip) && parsed.skip >= 0);
          assert.ok(parsed.count >= 1 && parsed.count <= MAX_LIST_COUNT);
        }
        if (parsed?.kind === 'read') assert.ok(Number.isSafeInteger(parsed.number));
      }),
    );
  });
});
