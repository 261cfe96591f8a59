/**
 * `GET /api/log` against the real daemon (DESIGN §13): the live log as Server-Sent Events for
 * an API key whose apps include `.e` or a console session, filtered by level; a client that
 * does not read is dropped once its buffer is full, and the daemon says so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { ADMIN_KEY, NAMED_KEY, PASSWORD, call, consoleConfig, session } from './support.js';

/** The `data:` lines of an event stream, parsed, as they arrive. */
async function events(
  url: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<AsyncIterator<Record<string, unknown>>> {
  const res = await fetch(url, { headers, signal });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const lines = createInterface({
    input: (await import('node:stream')).Readable.fromWeb(res.body as never),
  });
  return (async function* () {
    for await (const line of lines) {
      if (line.startsWith('data: ')) yield JSON.parse(line.slice(6)) as Record<string, unknown>;
    }
  })();
}

/** The first event that satisfies `match`. */
async function until(
  stream: AsyncIterator<Record<string, unknown>>,
  match: (event: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (;;) {
    const next = await stream.next();
    assert.equal(next.done, false, 'the stream ended');
    if (match(next.value)) return next.value;
  }
}

describe('the live log', () => {
  const suite = daemonPerSuite(() => consoleConfig());

  it('streams each log line to a key whose apps include .e, passwords never in it', async () => {
    const client = new AbortController();
    const stream = await events(
      `${suite.url}/api/log`,
      { authorization: `Bearer ${ADMIN_KEY}` },
      client.signal,
    );
    await postCommand(suite.url, `${PASSWORD} .s echo live-log-line`);
    const line = await until(stream, (e) => e.msg === 'command');
    assert.equal(line.command, '.s echo live-log-line');
    client.abort();
  });

  it('filters by level, and streams to a console session', async () => {
    const s = await session(suite.url);
    const client = new AbortController();
    const stream = await events(
      `${suite.url}/api/log?level=warn`,
      { cookie: s.cookie },
      client.signal,
    );
    await postCommand(suite.url, `${PASSWORD} .s echo not-a-warning`);
    await call(suite.url, 'maintenance', s, { body: { on: true } });
    const first = await until(stream, () => true);
    assert.deepEqual([first.level, first.msg, first.via], [40, 'maintenance on', 'console']);
    await call(suite.url, 'maintenance', s, { body: { on: false } });
    client.abort();
  });

  it('refuses a key without .e, a wrong key (counted), nothing, and an unknown level', async () => {
    const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${suite.url}${path}`, { headers });
    assert.equal((await get('/api/log', { authorization: `Bearer ${NAMED_KEY}` })).status, 403);
    const wrong = await get('/api/log', { authorization: 'Bearer sbk_wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid API key');
    assert.equal((await get('/api/log')).status, 401);
    const level = await get('/api/log?level=loud', { authorization: `Bearer ${ADMIN_KEY}` });
    assert.equal(level.status, 400);
  });

  it('drops a client that does not read, once its buffer is full', async () => {
    const { host, hostname, port } = new URL(suite.url);
    const socket = connect(Number(port), hostname);
    // Reads nothing: what the daemon sends stays in the kernel's buffers and then in its own.
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const mark = suite.daemon.lines.length;
    socket.write(
      `GET /api/log HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n\r\n`,
    );
    const dropped = (): boolean =>
      suite.daemon.lines
        .slice(mark)
        .some((l) => l.msg === 'live log client dropped: it read slower than the log came');
    const long = 'x'.repeat(15_000);
    // Each from its own source (trustProxy): the per-source rate would refuse them unlogged.
    for (let batch = 0; !dropped(); batch++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postCommand(suite.url, `${PASSWORD} .s : ${long}`, {
            'x-forwarded-for': `10.9.${batch % 250}.${i + 1}`,
          }),
        ),
      );
    }
    const closed = new Promise<void>((resolve) => socket.once('close', resolve));
    socket.resume();
    await closed;
  });
});
