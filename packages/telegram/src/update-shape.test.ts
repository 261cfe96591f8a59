import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isWellFormedUpdate } from './update-shape.js';

const good = {
  update_id: 7,
  message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, text: 'hi' },
};

describe('isWellFormedUpdate', () => {
  it('takes a text message and update kinds no handler reads', () => {
    assert.equal(isWellFormedUpdate(good), true);
    assert.equal(isWellFormedUpdate({ update_id: 8, edited_message: {} }), true);
  });

  it('refuses what made the handler throw (found by the fuzz suite)', () => {
    for (const bad of [
      { update_id: 1, message: { text: 'x' } },
      { update_id: 1, message: { ...good.message, text: 5 } },
      { update_id: 1, message: { ...good.message, text: null } },
      { update_id: 1, message: null },
      { update_id: 1, message: { ...good.message, chat: null } },
      { update_id: 1, message: { ...good.message, chat: { id: { toString: 1 }, type: 'x' } } },
      { update_id: 1, message: { ...good.message, chat: { id: 'abc', type: 'private' } } },
      { message: good.message },
    ]) {
      assert.equal(isWellFormedUpdate(bad), false, JSON.stringify(bad));
    }
  });

  it('never throws, whatever JSON comes in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => typeof isWellFormedUpdate(value) === 'boolean'),
    );
  });
});
