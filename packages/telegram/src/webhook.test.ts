import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTelegramChannel } from './channel.js';
import { FakeBotApi } from './fake-bot-api.js';
import { buildRuntime, PASSWORD, startRig, until, type Rig } from './harness.js';
import { pino } from 'pino';
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog } from '@switchboard/core';
import { createWebhookHandler, SECRET_HEADER, type WebhookHandler } from './webhook.js';

const SECRET = 'webhook-secret_0123456789';
const HOOK = '/tg/hook';

/**
 * A tiny HTTP server standing in for the http channel: what `mount` registers is served at its
 * path. With `parseFirst`, a JSON body parser runs before the handler, as express.json() would.
 */
async function hostServer(parseFirst: boolean): Promise<{
  mount: (path: string, handler: WebhookHandler) => void;
  url: string;
  server: Server;
}> {
  const routes = new Map<string, WebhookHandler>();
  const server = createServer((req, res) => {
    const handler = routes.get(req.url ?? '');
    if (handler === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (!parseFirst) {
      handler(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      (req as IncomingMessage & { body?: unknown }).body = JSON.parse(
        Buffer.concat(chunks).toString('utf8') || '{}',
      );
      handler(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    mount: (path, handler) => routes.set(path, handler),
    url: `http://127.0.0.1:${port}`,
    server,
  };
}

for (const parseFirst of [false, true]) {
  describe(`webhook mode (${parseFirst ? 'body parsed before us' : 'raw body'})`, () => {
    let rig: Rig;
    let host: Awaited<ReturnType<typeof hostServer>>;
    before(async () => {
      host = await hostServer(parseFirst);
      rig = await startRig({ webhook: { path: HOOK, secretToken: SECRET } }, { mount: host.mount });
    });
    after(async () => {
      await rig.close();
      host.server.close();
    });

    const post = (body: unknown, secret?: string): Promise<Response> =>
      fetch(`${host.url}${HOOK}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: JSON.stringify(body),
      });

    it('names the path and the bot in its address, and does not poll', () => {
      assert.equal(rig.handle.address, `webhook ${HOOK} as @sb_test_bot`);
      assert.equal(rig.api.callsOf('getUpdates').length, 0);
    });

    it('runs an update with the right secret token: 200 at once, then the reply', async () => {
      const update = rig.api.push({ chatId: 60, text: `${PASSWORD}.s echo via webhook` });
      const res = await post(update, SECRET);
      assert.equal(res.status, 200);
      await until('the reply', () => rig.api.sentTo(60).length > 0);
      assert.deepEqual(rig.api.sentTo(60), ['via webhook']);
    });

    it('refuses a wrong or missing secret token with 403, runs nothing, logs no secret', async () => {
      const wrong = 'webhook-secret_0123456780';
      const update = rig.api.push({ chatId: 61, text: `${PASSWORD}.s echo intruder` });
      assert.equal((await post(update, wrong)).status, 403);
      assert.equal((await post(update)).status, 403);
      // One line a minute at most, counting what it stands for.
      const refusals = rig.logged('without the right secret token');
      assert.equal(refusals.length, 1);
      assert.equal(refusals[0]?.refused, 1);
      const control = rig.api.push({ chatId: 62, text: `${PASSWORD}.s echo control` });
      assert.equal((await post(control, SECRET)).status, 200);
      await until('the control reply', () => rig.api.sentTo(62).length > 0);
      assert.deepEqual(rig.api.sentTo(61), []);
      for (const line of rig.logs) {
        assert.ok(!line.includes(wrong) && !line.includes(SECRET), line);
      }
    });

    it('answers 405 to anything but POST, and 400 to a body that is not an update', async () => {
      assert.equal((await fetch(`${host.url}${HOOK}`)).status, 405);
      assert.equal((await post({ hello: 'world' }, SECRET)).status, 400);
    });
  });
}

describe('webhook mode with webhook.url', () => {
  const apis: FakeBotApi[] = [];
  let rig: Rig;
  before(async () => {
    rig = await startRig(
      { webhook: { path: HOOK, secretToken: SECRET, url: 'https://bot.example.com/tg/hook' } },
      { mount: () => undefined },
    );
  });
  after(async () => {
    await rig.close();
    await Promise.all(apis.map((api) => api.close()));
  });

  it('registers the URL and the secret with setWebhook at start', () => {
    const [call, ...more] = rig.api.callsOf('setWebhook');
    assert.ok(call !== undefined && more.length === 0);
    assert.equal(call.body.url, 'https://bot.example.com/tg/hook');
    assert.equal(call.body.secret_token, SECRET);
    assert.deepEqual(call.body.allowed_updates, ['message']);
  });

  it('fails the start when Telegram refuses the URL', async () => {
    const api = await FakeBotApi.start();
    apis.push(api);
    api.fail('setWebhook', {
      status: 400,
      description: 'Bad Request: bad webhook: Failed to resolve host',
    });
    const { runtime } = buildRuntime(api, {
      webhook: { path: HOOK, secretToken: SECRET, url: 'https://nowhere.invalid/tg/hook' },
    });
    await assert.rejects(
      startTelegramChannel(runtime, { mount: () => undefined }),
      /telegram\.webhook\.url: Telegram refused it \(setWebhook answered 400: Bad Request: bad webhook/,
    );
  });
});

describe('refused webhook requests', () => {
  it('log one line a minute at most, with how many were refused since the last', async () => {
    const lines: string[] = [];
    let clock = 0;
    const handler = createWebhookHandler({
      secretToken: SECRET,
      refusals: new RefusalLog(
        pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
        () => clock,
      ),
      ready: () => true,
      onUpdate: () => assert.fail('a refused request ran'),
    });
    const host = await hostServer(false);
    host.mount(HOOK, handler);
    const refuse = async () => {
      const res = await fetch(`${host.url}${HOOK}`, {
        method: 'POST',
        headers: { [SECRET_HEADER]: 'not-the-secret' },
        body: '{}',
      });
      assert.equal(res.status, 403);
    };
    try {
      for (let i = 0; i < 5; i++) await refuse();
      clock += REFUSAL_LOG_INTERVAL_MS - 1;
      await refuse();
      assert.equal(lines.length, 1);
      clock += 1;
      await refuse();
      const refused = lines.map((line) => (JSON.parse(line) as { refused: number }).refused);
      assert.deepEqual(refused, [1, 6]);
    } finally {
      host.server.close();
    }
  });
});
