/**
 * Streamed output (DESIGN §12, webhook's most asked-for feature): `Accept: application/x-ndjson`
 * gets `{"output": ...}` lines while the command writes, then `{"ok", "error"}`. Proved without
 * timing: the command holds between two writes until the test has seen the first one. A client
 * that goes away stops nothing it should not: `http.stream.onDisconnect` decides, the log says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HeldCommand } from '../harness.js';
import { daemonPerSuite, type SuiteDaemon } from '../hostile/http-client.js';
import { namedCommandsConfig, PASSWORD } from './support.js';

const NDJSON = { accept: 'application/x-ndjson', 'content-type': 'application/json' };

/** curl -N on the stream: each line as it arrives, and the end. */
function curlStream(
  url: string,
  body: unknown,
): { lines: AsyncIterator<string>; done: Promise<void> } {
  const child = spawn('curl', [
    '-sN',
    '-H',
    'Accept: application/x-ndjson',
    '-H',
    'Content-Type: application/json',
    '-d',
    JSON.stringify(body),
    url,
  ]);
  const lines: AsyncIterator<string> = createInterface({ input: child.stdout })[
    Symbol.asyncIterator
  ]();
  const done = new Promise<void>((resolve) => {
    child.once('close', () => {
      resolve();
    });
  });
  return { lines, done };
}

/**
 * Starts a streamed command that prints, then holds until released, then touches `finished`;
 * reads its first line, then goes away. `mark` is the daemon's log length before it.
 */
async function abandonStream(
  suite: SuiteDaemon,
): Promise<{ held: HeldCommand; finished: string; mark: number }> {
  const held = new HeldCommand();
  const finished = join(mkdtempSync(join(tmpdir(), 'sb-stream-')), 'finished');
  const client = new AbortController();
  const mark = suite.daemon.lines.length;
  const res = await fetch(`${suite.url}/api/command`, {
    method: 'POST',
    headers: NDJSON,
    signal: client.signal,
    body: JSON.stringify({
      command: `${PASSWORD} .s echo started; ${held.shell('x')}; touch ${finished}`,
    }),
  });
  await res.body?.getReader().read();
  client.abort();
  return { held, finished, mark };
}

async function next(lines: AsyncIterator<string>): Promise<unknown> {
  const result = await lines.next();
  assert.equal(result.done, false, 'the stream ended early');
  return JSON.parse(result.value) as unknown;
}

describe('streamed output', () => {
  const suite = daemonPerSuite(() =>
    namedCommandsConfig({ apps: { shell: { unrestricted: true } } }),
  );

  it('sends output lines as the command writes them, then the result (curl -N)', async () => {
    const held = new HeldCommand();
    const script = `echo first; ${held.shell('second')}`;
    const stream = curlStream(`${suite.url}/api/command`, { command: `${PASSWORD} .s ${script}` });
    // The command waits for the release below: this line can only have come while it runs.
    assert.deepEqual(await next(stream.lines), { output: 'first\n' });
    held.release();
    assert.deepEqual(await next(stream.lines), { output: 'second\n' });
    assert.deepEqual(await next(stream.lines), { ok: true, error: null });
    assert.equal((await stream.lines.next()).done, true);
    await stream.done;
  });

  it('streams a named command, and a refusal with its status', async () => {
    const named = await fetch(`${suite.url}/api/commands/args`, {
      method: 'POST',
      headers: NDJSON,
      body: JSON.stringify({ password: PASSWORD, args: { word: 'w' } }),
    });
    assert.equal(named.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    assert.deepEqual(
      (await named.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      [{ output: '[xwy]\n[one]\n' }, { ok: true, error: null }],
    );
    const refused = await fetch(`${suite.url}/api/command`, {
      method: 'POST',
      headers: NDJSON,
      body: JSON.stringify({ command: 'wrong .s id' }),
    });
    assert.equal(refused.status, 401);
    assert.deepEqual(JSON.parse((await refused.text()).trim()), {
      ok: false,
      error: 'invalid password or shortcut',
    });
  });

  it('lets the command finish when the client goes away (default), and logs it', async () => {
    const gone = await abandonStream(suite);
    await suite.daemon.waitFor(
      (l) => /stream client went away: the command runs/.test(String(l.msg)),
      gone.mark,
    );
    gone.held.release();
    const done = await suite.daemon.waitFor(
      (l) => l.msg === 'command' && String(l.command).includes(gone.finished),
      gone.mark,
    );
    assert.equal(done.ok, true, JSON.stringify(done));
    assert.equal(existsSync(gone.finished), true);
  });
});

describe('streamed output with http.stream.onDisconnect "stop"', () => {
  const suite = daemonPerSuite(() =>
    namedCommandsConfig({
      apps: { shell: { unrestricted: true } },
      http: { listen: '127.0.0.1:0', stream: { onDisconnect: 'stop' } },
    }),
  );

  it('stops the command when the client goes away, and logs it', async () => {
    const gone = await abandonStream(suite);
    await suite.daemon.waitFor(
      (l) => /stream client went away: the command is stopped/.test(String(l.msg)),
      gone.mark,
    );
    const done = await suite.daemon.waitFor(
      (l) => l.msg === 'command' && String(l.command).includes(gone.finished),
      gone.mark,
    );
    assert.equal(done.ok, false, JSON.stringify(done));
    gone.held.release();
    assert.equal(existsSync(gone.finished), false);
  });
});
