import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { curl } from '@switchboard/core/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { APPS, bootstrap, createConfigLoader, type ChannelHandle } from '@switchboard/core';
import { createHttpChannel } from './http-channel.js';

const PASSWORD = 'http-test-password';

/** A running HTTP channel over `raw` config on a port-0 listener. */
async function startChannel(
  raw: Record<string, unknown>,
): Promise<{ url: string; handle: ChannelHandle }> {
  const loaded = createConfigLoader(APPS).parse(
    JSON.stringify({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { shell: { unrestricted: true } },
      ...raw,
      http: { listen: '127.0.0.1:0', ...(raw.http as object | undefined) },
    }),
    { env: {} },
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { runtime } = bootstrap(loaded.config, {
    logDestination: { write: () => undefined },
    baseDir: mkdtempSync(`${tmpdir()}/sb-http-`),
  });
  const handle = await createHttpChannel(runtime).listen();
  return { url: handle.address.replace(/\/$/, ''), handle };
}

const api = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the JSON API', () => {
  let url = '';
  let handle: ChannelHandle;
  before(async () => {
    ({ url, handle } = await startChannel({ http: { rateLimit: { requests: 1000, perSec: 1 } } }));
  });
  after(() => handle.close());

  it('runs a command: 200 with ok, output and no error', async () => {
    const res = await api(url, { command: `${PASSWORD} .s echo hi` });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, output: 'hi', error: null });
  });

  it('takes a form field "command" too (curl -d)', async () => {
    const r = await curl(['-d', `command=${PASSWORD} .s echo form`, `${url}/api/command`]);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { ok: true, output: 'form', error: null });
  });

  it('answers a failing command with 200 and ok false', async () => {
    const res = await api(url, { command: `${PASSWORD} .s echo out; exit 2` });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: false, output: 'out', error: 'exit status 2' });
  });

  it('answers 400 to a body without a command, and to malformed JSON', async () => {
    assert.equal((await api(url, { cmd: 'x' })).status, 400);
    assert.equal((await api(url, ['x'])).status, 400);
    const bad = await curl([
      '-H',
      'content-type: application/json',
      '-d',
      '{"command":',
      `${url}/api/command`,
    ]);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), {
      ok: false,
      output: '',
      error: 'malformed request body',
    });
  });

  it('answers 401 to a wrong password', async () => {
    const res = await api(url, { command: 'nope .s echo hi' }, { 'x-test': '1' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      ok: false,
      output: '',
      error: 'invalid password or shortcut',
    });
  });

  it('answers 413 to a body over 64 KiB and to a command over 16384 bytes', async () => {
    const huge = await api(url, { command: 'x'.repeat(70 * 1024) });
    assert.equal(huge.status, 413);
    assert.equal(
      ((await huge.json()) as { error: string }).error,
      'request body is too large (max 64kb)',
    );
    const long = await api(url, { command: `${PASSWORD} .s ${'x'.repeat(17000)}` });
    assert.equal(long.status, 413);
    assert.equal(
      ((await long.json()) as { error: string }).error,
      'command is too long (max 16384 bytes)',
    );
  });

  it('answers 400 to other body types and to a repeated form field', async () => {
    const text = await curl([
      '-H',
      'content-type: text/plain',
      '-d',
      'hello',
      `${url}/api/command`,
    ]);
    assert.equal(text.status, 400);
    assert.equal(
      (JSON.parse(text.body) as { error: string }).error,
      'body must be JSON {"command": "..."} or a form field command',
    );
    const twice = await curl(['-d', 'command=a', '-d', 'command=b', `${url}/api/command`]);
    assert.equal(twice.status, 400);
  });

  it('takes any command text, even one that reads like an error', async () => {
    for (const command of ['malformed', 'noCommand', '']) {
      assert.equal((await api(url, { command })).status, 401, command);
    }
  });

  it('answers 413 to a chunked body that grows past 64 KiB', async () => {
    const r = await curl([
      '-H',
      'transfer-encoding: chunked',
      '-H',
      'content-type: application/json',
      '--data-binary',
      JSON.stringify({ command: 'x'.repeat(80 * 1024) }),
      `${url}/api/command`,
    ]);
    assert.equal(r.status, 413);
  });

  it('sends the same security headers from the API as from the page', async () => {
    const page = await fetch(`${url}/`);
    const apiRes = await api(url, { command: 'x' });
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'cache-control',
      'x-frame-options',
      'strict-transport-security',
    ]) {
      assert.equal(apiRes.headers.get(name), page.headers.get(name), name);
    }
    assert.equal(apiRes.headers.get('x-powered-by'), null);
  });

  it('answers /healthz without a password', async () => {
    const r = await curl([`${url}/healthz`]);
    assert.deepEqual(r, { status: 200, body: '{"status":"ok"}' });
  });

  it('sends security headers and forbids caching', async () => {
    const res = await fetch(`${url}/`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  it('answers 404 for unknown routes, JSON under /api', async () => {
    assert.equal((await fetch(`${url}/nope`)).status, 404);
    const res = await fetch(`${url}/api/nope`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { ok: boolean }).ok, false);
  });
});

describe('refusals over HTTP', () => {
  it('bans after 5 wrong passwords: 403', async () => {
    const { url, handle } = await startChannel({
      http: { rateLimit: { requests: 100, perSec: 1 } },
    });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await api(url, { command: 'wrong' })).status, 401);
      const res = await api(url, { command: `${PASSWORD} .s echo hi` });
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { ok: false, output: '', error: 'banned' });
    } finally {
      await handle.close();
    }
  });

  it('limits each client: 429', async () => {
    const { url, handle } = await startChannel({
      http: { rateLimit: { requests: 2, perSec: 60 } },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await api(url, { command: `${PASSWORD} .s echo` })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await handle.close();
    }
  });

  it('refuses everything after lockdown: 503', async () => {
    const { url, handle } = await startChannel({});
    try {
      assert.equal((await api(url, { command: `${PASSWORD} .e lock` })).status, 200);
      const res = await api(url, { command: `${PASSWORD} .s echo hi` });
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { ok: false, output: '', error: 'LOCKED DOWN' });
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      await handle.close();
    }
  });

  it('keeps a one-time-code pair to its first command across requests', async () => {
    const { CodePairs } = await import('@switchboard/core');
    const { url, handle } = await startChannel({});
    try {
      const pair = new CodePairs([PASSWORD]).current()[0]?.pair ?? '';
      assert.equal((await api(url, { command: `${pair}.s echo one` })).status, 200);
      assert.equal((await api(url, { command: `${pair}.s echo one` })).status, 200);
      const reused = await api(url, { command: `${pair}.s echo two` });
      assert.equal(reused.status, 401);
      assert.equal(
        ((await reused.json()) as { error: string }).error,
        'one-time code already used with a different command',
      );
    } finally {
      await handle.close();
    }
  });
});

describe('the form page', () => {
  let url = '';
  let handle: ChannelHandle;
  before(async () => {
    ({ url, handle } = await startChannel({ http: { basePath: '/sb' } }));
  });
  after(() => handle.close());

  it('serves the form under basePath, with one password field named cmd', async () => {
    const r = await curl([`${url}/`]);
    assert.equal(r.status, 200);
    assert.match(r.body, /<form method="post" action="\/sb\/">/);
    assert.match(r.body, /<input type="password" id="cmd" name="cmd"/);
    assert.doesNotMatch(r.body, /<script|src=|href=/);
    assert.equal((await fetch(url.replace('/sb', '/'))).status, 404);
  });

  it('shows the result HTML-escaped', async () => {
    const r = await curl([
      '--data-urlencode',
      `cmd=${PASSWORD} .s echo '<script>alert(1)</script>&"'`,
      `${url}/`,
    ]);
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      /<pre id="result">&lt;script&gt;alert\(1\)&lt;\/script&gt;&amp;&quot;<\/pre>/,
    );
    assert.doesNotMatch(r.body, /<script>/);
    assert.ok(!r.body.includes(PASSWORD), 'the page echoes the password');
  });

  it('answers a body it cannot decode, or with too many fields, with a 4xx and our text', async () => {
    const gzipped = await curl([
      '-H',
      'content-encoding: gzip',
      '--data-binary',
      'cmd=abc',
      `${url}/`,
    ]);
    assert.deepEqual([gzipped.status, gzipped.body], [400, 'malformed request body']);
    const fields = await curl(['--data-binary', `cmd=x${'&a=1'.repeat(1001)}`, `${url}/`]);
    assert.deepEqual([fields.status, fields.body], [413, 'too many form fields (max 1000)']);
  });

  it('shows an error with its status', async () => {
    const r = await curl(['--data-urlencode', 'cmd=wrong', `${url}/`]);
    assert.equal(r.status, 401);
    assert.match(
      r.body,
      /class="err">Error:.*\n<pre id="result">invalid password or shortcut<\/pre>/,
    );
  });
});

describe('client addresses behind a proxy', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    const plain = await startChannel({ http: { rateLimit: { requests: 1, perSec: 60 } } });
    const trusted = await startChannel({
      http: { rateLimit: { requests: 1, perSec: 60 }, trustProxy: ['127.0.0.1'] },
    });
    try {
      const cmd = { command: `${PASSWORD} .s echo` };
      // Without trust, spoofed headers do not give a fresh budget.
      assert.equal((await api(plain.url, cmd, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
      assert.equal((await api(plain.url, cmd, { 'x-forwarded-for': '203.0.113.2' })).status, 429);
      // Through a trusted proxy, each forwarded client has its own budget.
      assert.equal((await api(trusted.url, cmd, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
      assert.equal((await api(trusted.url, cmd, { 'x-forwarded-for': '203.0.113.2' })).status, 200);
      assert.equal((await api(trusted.url, cmd, { 'x-forwarded-for': '203.0.113.2' })).status, 429);
    } finally {
      await plain.handle.close();
      await trusted.handle.close();
    }
  });
});
