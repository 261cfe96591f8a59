import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPlt, parsePlt } from './plt.js';

describe('.plt', () => {
  it('parses three integers separated by anything but digits', () => {
    assert.deepEqual(parsePlt('.plt  2, 5. 4  .s  sleep 2 ; echo 0123456789 '), {
      beginPosition: 2,
      maxLength: 5,
      timeoutSec: 4,
      command: '.s  sleep 2 ; echo 0123456789',
    });
    assert.deepEqual(parsePlt('.PLT 0 100 30 .s echo 123'), {
      beginPosition: 0,
      maxLength: 100,
      timeoutSec: 30,
      command: '.s echo 123',
    });
  });

  it('rejects a missing command, missing numbers or a zero timeout', () => {
    assert.equal(parsePlt('.plt 10 200.s echo 1'), undefined);
    assert.equal(parsePlt('.plt   sadf asdf '), undefined);
    assert.equal(parsePlt('.plt 1 2'), undefined);
    assert.equal(parsePlt('.plt 1 2 0 .s date'), undefined);
    assert.equal(parsePlt('.plt 1 2 3601 .s date'), undefined);
  });

  it('is recognised case-insensitively', () => {
    assert.equal(isPlt('.Plt 1 2 3 .s date'), true);
    assert.equal(isPlt('.s date'), false);
  });

  it('round-trips any numbers and command', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 3600 }),
        fc.constantFrom(' ', ', ', '.', ' x '),
        fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !/^\d/.test(s.trim())),
        (skip, max, timeout, sep, command) => {
          const parsed = parsePlt(`.plt ${skip}${sep}${max}${sep}${timeout} ${command}`);
          assert.deepEqual(parsed, {
            beginPosition: skip,
            maxLength: max,
            timeoutSec: timeout,
            command: command.trim(),
          });
        },
      ),
    );
  });
});
