// A tiny fake Telegram Bot API on 127.0.0.1, so that the footprint scenario can run the telegram
// channel (long polling) with no network: getMe, deleteWebhook, getWebhookInfo, and getUpdates
// held for a second and answered with no updates.
import { once } from 'node:events';
import { createServer } from 'node:http';

const BOT = { id: 7_000_000_001, is_bot: true, first_name: 'bench', username: 'bench_bot' };
const RESULTS = {
  getMe: BOT,
  deleteWebhook: true,
  getWebhookInfo: { url: '', has_custom_certificate: false, pending_update_count: 0 },
};
const POLL_HOLD_MS = 1000;

/** Starts the fake; resolves to its apiRoot and close(). */
export async function startFakeBotApi() {
  const timers = new Set();
  const server = createServer((req, res) => {
    req.resume();
    const method = /\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1] ?? '';
    const answer = (result) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, result }));
    };
    if (method !== 'getUpdates') {
      answer(RESULTS[method] ?? true);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer([]);
    }, POLL_HOLD_MS);
    timers.add(timer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    apiRoot: `http://127.0.0.1:${server.address().port}`,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
