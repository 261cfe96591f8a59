import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isChatAllowed, isForAnotherBot, isHelpCommand } from './chat-policy.js';

describe('isChatAllowed', () => {
  it('serves private chats and nothing else without an allowlist', () => {
    assert.equal(isChatAllowed({ id: 1, type: 'private' }, []), true);
    assert.equal(isChatAllowed({ id: -5, type: 'group' }, []), false);
    assert.equal(isChatAllowed({ id: -100123, type: 'supergroup' }, []), false);
    assert.equal(isChatAllowed({ id: -100124, type: 'channel' }, []), false);
  });

  it('serves exactly the listed chats with an allowlist', () => {
    const allowed = [1, -100123];
    assert.equal(isChatAllowed({ id: 1, type: 'private' }, allowed), true);
    assert.equal(isChatAllowed({ id: 2, type: 'private' }, allowed), false);
    assert.equal(isChatAllowed({ id: -100123, type: 'supergroup' }, allowed), true);
  });
});

describe('bot commands', () => {
  it('knows /start and /help, bare or with arguments', () => {
    for (const text of [
      '/start',
      '/help',
      '/START',
      '/start deeplink',
      ' /help ',
      '/help@sb_bot',
    ]) {
      assert.equal(isHelpCommand(text), true, text);
    }
    for (const text of ['/starting', 'start', 'pass.s /start', '/stop']) {
      assert.equal(isHelpCommand(text), false, text);
    }
  });

  it('tells commands addressed to another bot apart', () => {
    assert.equal(isForAnotherBot('/start@other_bot', 'sb_bot'), true);
    assert.equal(isForAnotherBot('/start@SB_Bot', 'sb_bot'), false);
    assert.equal(isForAnotherBot('/start', 'sb_bot'), false);
    assert.equal(isForAnotherBot('mypassword.s echo a@b', 'sb_bot'), false);
  });
});
