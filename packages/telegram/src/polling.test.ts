import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { USAGE } from './chat-policy.js';
import { MAX_MESSAGE_LENGTH } from './split-message.js';
import { PASSWORD, startRig, until, type Rig } from './harness.js';

describe('the telegram channel, polling a fake Bot API', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ rateLimit: { requests: 3, perSec: 60 } });
  });
  after(() => rig.close());

  /** Sends `text` from a private chat and waits for `replies` messages back. */
  async function ask(chatId: number, text: string, replies = 1): Promise<string[]> {
    const before = rig.api.sentTo(chatId).length;
    rig.api.push({ chatId, text });
    await until(`a reply to ${chatId}`, () => rig.api.sentTo(chatId).length >= before + replies);
    return rig.api.sentTo(chatId).slice(before);
  }

  it('names the API and the bot in its address', () => {
    assert.equal(rig.handle.address, `polling ${rig.api.url} as @sb_test_bot`);
  });

  it('runs a command and answers in plain text, without link previews', async () => {
    assert.deepEqual(await ask(42, `${PASSWORD}.s echo hello from telegram`), [
      'hello from telegram',
    ]);
    const call = rig.api.callsOf('sendMessage').at(-1);
    assert.equal(call?.body.parse_mode, undefined);
    assert.deepEqual(call?.body.link_preview_options, { is_disabled: true });
  });

  it('answers /start and /help with the usage text, also when addressed to it', async () => {
    assert.deepEqual(await ask(43, '/start'), [USAGE]);
    assert.deepEqual(await ask(43, '/help@sb_test_bot'), [USAGE]);
  });

  it('answers a wrong password as such', async () => {
    assert.deepEqual(await ask(44, 'not-the-password.s echo hi'), ['invalid password or shortcut']);
  });

  it('splits a long output into messages of at most 4096 characters at line breaks', async () => {
    const replies = await ask(45, `${PASSWORD}.s seq 1 2000`, 3);
    assert.equal(replies.length, 3);
    for (const reply of replies) assert.ok(reply.length <= MAX_MESSAGE_LENGTH);
    const expected = Array.from({ length: 2000 }, (_, i) => String(i + 1)).join('\n');
    assert.equal(replies.join('\n'), expected);
  });

  it('answers "rate limited" once a chat exceeds its limit', async () => {
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await ask(46, `${PASSWORD}.s echo ${i}`), [String(i)]);
    assert.deepEqual(await ask(46, `${PASSWORD}.s echo 3`), ['rate limited']);
  });

  it('skips a message sent before start-up', async () => {
    rig.api.push({
      chatId: 47,
      text: `${PASSWORD}.s echo old`,
      date: Math.floor(Date.now() / 1000) - 60,
    });
    await until('the skip', () => rig.logged('from before start-up skipped').length > 0);
    assert.deepEqual(await ask(47, `${PASSWORD}.s echo new`), ['new']);
  });

  it('ignores a group chat when no allowlist is set', async () => {
    rig.api.push({ chatId: -1001, chatType: 'supergroup', text: `${PASSWORD}.s echo hi` });
    await until('the refusal', () => rig.logged('chat not served').length > 0);
    assert.deepEqual(rig.api.sentTo(-1001), []);
  });

  it('ignores a command addressed to another bot, without counting a failed login', async () => {
    rig.api.push({ chatId: 48, text: '/start@some_other_bot' });
    assert.deepEqual(await ask(48, `${PASSWORD}.s echo after`), ['after']);
  });

  it('never logs the token', () => {
    assert.ok(rig.logs.length > 0);
    for (const line of rig.logs) assert.ok(!line.includes(rig.api.token), line);
  });
});

describe('the telegram channel with allowedChatIds', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ allowedChatIds: [42, -1002] });
  });
  after(() => rig.close());

  it('answers a group that is on the list', async () => {
    rig.api.push({ chatId: -1002, chatType: 'group', text: `${PASSWORD}.s echo group` });
    await until('the group reply', () => rig.api.sentTo(-1002).length > 0);
    assert.deepEqual(rig.api.sentTo(-1002), ['group']);
  });

  it('gives a private chat outside the list no answer at all, not even to /start', async () => {
    rig.api.push({ chatId: 99, text: `${PASSWORD}.s echo hi` });
    rig.api.push({ chatId: 99, text: '/start' });
    await until('both refusals', () => rig.logged('chat not served').length >= 2);
    rig.api.push({ chatId: 42, text: `${PASSWORD}.s echo listed` });
    await until('the listed reply', () => rig.api.sentTo(42).length > 0);
    assert.deepEqual(rig.api.sentTo(99), []);
  });
});

describe('the telegram channel in lockdown', () => {
  it('answers /start as it answers every command: LOCKED DOWN, no usage text', async () => {
    const rig = await startRig();
    try {
      await rig.runtime.services.store.lockDown();
      rig.api.push({ chatId: 47, text: '/start' });
      await until('a reply to /start', () => rig.api.sentTo(47).length > 0);
      assert.deepEqual(rig.api.sentTo(47), ['LOCKED DOWN']);
    } finally {
      await rig.close();
    }
  });
});
