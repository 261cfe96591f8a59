import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Runtime } from '@switchboard/core';
import { startTelegramChannel } from './channel.js';
import { FakeBotApi } from './fake-bot-api.js';
import { CONFLICT_ADVICE } from './failure-log.js';
import { buildRuntime, PASSWORD, records, startRig, until, type Rig } from './harness.js';

describe('start-up', () => {
  const apis: FakeBotApi[] = [];
  after(async () => {
    await Promise.all(apis.map((api) => api.close()));
  });
  async function fake(): Promise<FakeBotApi> {
    const api = await FakeBotApi.start();
    apis.push(api);
    return api;
  }

  it('fails with a clear error, without the token, when getMe answers 401', async () => {
    const api = await fake();
    const wrongToken = '987654321:WRONG-token_zyxwvutsrqponmlkjihgfe';
    const { runtime, logs } = buildRuntime(api, { token: wrongToken });
    await assert.rejects(startTelegramChannel(runtime), (err: Error) => {
      assert.match(err.message, /^telegram\.token: the Bot API at .* rejected the token/);
      assert.match(err.message, /401: Unauthorized/);
      assert.ok(!err.message.includes(wrongToken));
      return true;
    });
    for (const line of logs) assert.ok(!line.includes(wrongToken), line);
  });

  it('fails the same way when getMe answers 404', async () => {
    const api = await fake();
    api.fail('getMe', { status: 404, description: 'Not Found' });
    const { runtime } = buildRuntime(api);
    await assert.rejects(startTelegramChannel(runtime), /rejected the token \(getMe answered 404/);
  });

  it('keeps a path in apiRoot, with or without a trailing slash', async () => {
    const api = await fake();
    for (const root of [`${api.url}/gw/tg`, `${api.url}/gw/tg/`]) {
      const { runtime } = buildRuntime(api, { apiRoot: root });
      const handle = await startTelegramChannel(runtime);
      await handle.close();
      assert.equal(api.callsOf('getMe').at(-1)?.prefix, '/gw/tg');
    }
  });

  it('refuses webhook mode without a mount function', async () => {
    const api = await fake();
    const { runtime } = buildRuntime(api, {
      webhook: { path: '/tg/hook', secretToken: 'a-secret-of-sixteen-plus' },
    });
    await assert.rejects(
      startTelegramChannel(runtime),
      /webhook mode needs the http channel to serve \/tg\/hook/,
    );
  });

  it('refuses webhook mode without a secret token, even from a hand-built config', async () => {
    const api = await fake();
    const { runtime } = buildRuntime(api, {
      webhook: { path: '/tg/hook', secretToken: 'a-secret-of-sixteen-plus' },
    });
    const config = runtime.config();
    const telegram = config.telegram;
    assert.ok(telegram?.webhook !== undefined);
    const unsafe: Runtime = {
      process: (command) => runtime.process(command),
      authorises: (channel, content) => runtime.authorises(channel, content),
      admit: (request) => runtime.admit(request),
      authenticate: (command) => runtime.authenticate(command),
      config: () => ({
        ...config,
        telegram: { ...telegram, webhook: { path: '/tg/hook', secretToken: '' } },
      }),
      services: runtime.services,
      track: (work) => runtime.track(work),
      abandoned: runtime.abandoned,
    };
    await assert.rejects(
      startTelegramChannel(unsafe, { mount: () => undefined }),
      /telegram\.webhook\.secretToken: is required in webhook mode/,
    );
  });
});

describe('the Bot API failing while polling', () => {
  const rigs: Rig[] = [];
  after(async () => {
    await Promise.all(rigs.map((rig) => rig.close()));
  });

  it('retries a 500 and a dropped connection from getUpdates, then answers', async () => {
    const rig = await startRig({}, {}, (api) => {
      api.fail('getUpdates', { status: 500, description: 'Internal Server Error' }, 'reset', {
        status: 502,
      });
    });
    rigs.push(rig);
    rig.api.push({ chatId: 50, text: `${PASSWORD}.s echo survived` });
    await until('the reply', () => rig.api.sentTo(50).length > 0);
    assert.deepEqual(rig.api.sentTo(50), ['survived']);
    const failures = rig.logged('Bot API call failed');
    assert.equal(failures.length, 3);
    assert.match(String(failures[0]?.error), /^500: /);
    assert.match(String(failures[1]?.error), /ECONNRESET|socket hang up/);
    assert.equal(rig.logged('reachable again').length, 1);
    for (const line of rig.logs) assert.ok(!line.includes(rig.api.token), line);
  });

  it('logs a 409 conflict once, with advice, and keeps polling', async () => {
    const conflict = {
      status: 409,
      description:
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    };
    const rig = await startRig({}, {}, (api) => {
      api.fail('getUpdates', conflict, conflict, conflict, conflict);
    });
    rigs.push(rig);
    rig.api.push({ chatId: 51, text: `${PASSWORD}.s echo still here` });
    await until('the reply', () => rig.api.sentTo(51).length > 0);
    const warnings = records(rig.logs).filter((r) => r.msg === CONFLICT_ADVICE);
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]?.msg), /webhook mode/);
    assert.equal(rig.logged('telegram conflict').length, 3);
  });

  it('starts when the API is unreachable, and connects when it comes back', async () => {
    const rig = await startRig({}, {}, (api) => {
      api.fail('getMe', { status: 502 }, 'reset');
    });
    rigs.push(rig);
    assert.match(rig.handle.address, /as @\(not verified yet\)$/);
    assert.equal(rig.logged('unreachable at start-up').length, 1);
    rig.api.push({ chatId: 52, text: `${PASSWORD}.s echo late` });
    await until('the reply', () => rig.api.sentTo(52).length > 0);
    assert.match(rig.handle.address, /as @sb_test_bot$/);
  });

  it('retries a reply that hits 429, after retry_after', async () => {
    const rig = await startRig({}, {}, (api) => {
      api.fail('sendMessage', {
        status: 429,
        description: 'Too Many Requests: retry after 1',
        retryAfter: 1,
      });
    });
    rigs.push(rig);
    const started = Date.now();
    rig.api.push({ chatId: 53, text: `${PASSWORD}.s echo patient` });
    await until('the reply', () => rig.api.sentTo(53).includes('patient'));
    assert.ok(Date.now() - started >= 900);
  });
});
