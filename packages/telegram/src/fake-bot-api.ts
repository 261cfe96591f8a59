/**
 * A fake Telegram Bot API on 127.0.0.1 for tests (not exported from the package): real HTTP,
 * the routes telegraf calls (`/bot<token>/<method>`, JSON bodies), a queue of updates served by
 * getUpdates with offsets and long-poll holds, and scripted faults (HTTP errors, dropped
 * connections) per method.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the fake received. */
export interface ApiCall {
  /** What came before `/bot<token>/` in the path (a self-hosted server's prefix). */
  readonly prefix: string;
  readonly method: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A scripted answer: an HTTP error status with a Bot API error body, or a dropped connection. */
export type Fault =
  | { readonly status: number; readonly description?: string; readonly retryAfter?: number }
  | 'reset';

/** A message update as a test writes it; update_id is assigned by the fake. */
export interface MessageSpec {
  readonly chatId: number;
  readonly chatType?: 'private' | 'group' | 'supergroup';
  readonly text: string;
  /** Unix seconds; default now. */
  readonly date?: number;
}

/** The bot the fake pretends to be. */
export const FAKE_BOT = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: 'Switchboard test',
  username: 'sb_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
} as const;

/** A running fake Bot API. */
export class FakeBotApi {
  /** The valid token; any other gets 401 like the real API. */
  readonly token: string;
  /** Every call, failed ones included. */
  readonly calls: ApiCall[] = [];
  /** sendMessage calls that succeeded. */
  readonly #delivered: ApiCall[] = [];
  readonly #server: Server;
  readonly #faults = new Map<string, Fault[]>();
  #updates: Record<string, unknown>[] = [];
  #nextUpdateId = 1000;
  #nextMessageId = 1;
  #wake: (() => void)[] = [];
  #webhookUrl = '';

  private constructor(server: Server, token: string) {
    this.#server = server;
    this.token = token;
  }

  /** Starts a fake on 127.0.0.1, port 0. */
  static async start(token = '123456789:TEST-token_abcdefghijklmnopqrstuv'): Promise<FakeBotApi> {
    const server = createServer();
    const api = new FakeBotApi(server, token);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      api.#route(req, res).catch(() => res.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return api;
  }

  /** The apiRoot to configure: origin only. */
  get url(): string {
    return `http://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  /** Queues a message update for getUpdates; returns it (for the webhook tests to POST). */
  push(spec: MessageSpec): Record<string, unknown> {
    const update = messageUpdate(this.#nextUpdateId++, this.#nextMessageId++, spec);
    this.#updates.push(update);
    for (const wake of this.#wake.splice(0)) wake();
    return update;
  }

  /** Makes the next `faults.length` calls of `method` fail in order. */
  fail(method: string, ...faults: Fault[]): void {
    this.#faults.set(method, [...(this.#faults.get(method) ?? []), ...faults]);
  }

  /** Calls of one method. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts delivered to `chatId`, in order. */
  sentTo(chatId: number): string[] {
    return this.#delivered.filter((c) => c.body.chat_id === chatId).map((c) => String(c.body.text));
  }

  /** Stops listening and drops held long polls. */
  async close(): Promise<void> {
    for (const wake of this.#wake.splice(0)) wake();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^(.*?)\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const body = await readJson(req);
    if (match === null) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const [, prefix = '', token, method = ''] = match;
    this.calls.push({ prefix, method, body });
    if (token !== this.token) {
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const fault = this.#faults.get(method)?.shift();
    if (fault === 'reset') {
      req.socket.destroy();
    } else if (fault !== undefined) {
      send(res, fault.status, {
        ok: false,
        error_code: fault.status,
        description: fault.description ?? 'Fault',
        ...(fault.retryAfter === undefined
          ? {}
          : { parameters: { retry_after: fault.retryAfter } }),
      });
    } else {
      send(res, 200, { ok: true, result: await this.#answer(method, body) });
    }
  }

  async #answer(method: string, body: Readonly<Record<string, unknown>>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return FAKE_BOT;
      case 'deleteWebhook':
        this.#webhookUrl = '';
        return true;
      case 'setWebhook':
        this.#webhookUrl = String(body.url);
        return true;
      case 'getWebhookInfo':
        return { url: this.#webhookUrl, has_custom_certificate: false, pending_update_count: 0 };
      case 'getUpdates':
        return this.#getUpdates(body);
      case 'sendMessage':
        this.#delivered.push({ prefix: '', method, body });
        return {
          message_id: this.#nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: body.chat_id, type: 'private' },
          text: body.text,
        };
      default:
        return true;
    }
  }

  /** Confirms updates below `offset`, then answers at once or holds up to `timeout` seconds. */
  async #getUpdates(body: Readonly<Record<string, unknown>>): Promise<unknown[]> {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    this.#updates = this.#updates.filter((u) => (u.update_id as number) >= offset);
    const timeoutSec = typeof body.timeout === 'number' ? body.timeout : 0;
    if (this.#updates.length === 0 && timeoutSec > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutSec * 1000);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    return this.#updates.slice(0, limit);
  }
}

function messageUpdate(
  updateId: number,
  messageId: number,
  spec: MessageSpec,
): Record<string, unknown> {
  const type = spec.chatType ?? 'private';
  const from = { id: Math.abs(spec.chatId), is_bot: false, first_name: 'Tester' };
  const chat =
    type === 'private'
      ? { id: spec.chatId, type, first_name: 'Tester' }
      : { id: spec.chatId, type, title: 'Test group' };
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: spec.date ?? Math.floor(Date.now() / 1000),
      chat,
      from,
      text: spec.text,
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
