/**
 * `switchboard run` as a user drives it: a real child process, real HTTP, real signals and a
 * config file edited on disk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { deadPort, startMailSink } from '@switchboard/core/testing';
import { configDir, EXAMPLE, HeldCommand, RunningDaemon, writeConfig } from './harness.js';

const PASSWORD = 'run-test-password';

const base = {
  filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
  apps: { shell: { unrestricted: true } },
  http: { listen: '127.0.0.1:0' },
};

const command = async (url: string, text: string) => {
  const res = await fetch(`${url}/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command: text }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; output: string; error: string | null },
  };
};

describe('switchboard run', () => {
  it('serves the example config on loopback and says what to try', async () => {
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const path = configDir({
      ...example,
      $schema: undefined,
      http: { ...example.http, listen: '127.0.0.1:0' },
      smtp: { ...example.smtp, listen: '127.0.0.1:0' },
    });
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      const hint = await daemon.waitFor((l) => String(l.msg).startsWith('try it:'));
      assert.match(String(hint.msg), /switchboard-example-pass \.s uptime/);
      const r = await command(url, 'switchboard-example-pass .s uptime');
      assert.equal(r.status, 200);
      assert.match(r.body.output, /up /);
      assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
    } finally {
      daemon.child.kill('SIGTERM');
      assert.equal(await daemon.exit(), 0);
    }
  });

  it('refuses to listen publicly with the example password', async () => {
    const path = configDir({
      filters: { pinAndShortcuts: { passwords: ['switchboard-example-pass'] } },
      http: { listen: '0.0.0.0:0' },
    });
    const daemon = new RunningDaemon(path);
    assert.equal(await daemon.exit(), 2);
    assert.match(daemon.stderr, /refusing to start/);
    assert.match(daemon.stderr, /http: listens on 0\.0\.0\.0:0 but uses the example password/);
  });

  it('refuses an invalid config with every problem', async () => {
    const daemon = new RunningDaemon(configDir({ http: { listen: 'nowhere' }, bogus: 1 }));
    assert.equal(await daemon.exit(), 2);
    assert.match(daemon.stderr, /http\.listen: must be host:port/);
    assert.match(daemon.stderr, /\(root\)\.bogus|bogus: unknown key/);
  });

  it('reloads a changed config without dropping a running command', async () => {
    const path = configDir(base);
    const daemon = new RunningDaemon(path);
    const held = new HeldCommand();
    try {
      const url = await daemon.url();
      const slow = command(url, `${PASSWORD} .s ${held.shell('finished')}`);
      // The command runs, and stays running until the reload is done.
      await held.started(slow);
      const mark = daemon.lines.length;
      writeConfig(path, {
        ...base,
        filters: {
          pinAndShortcuts: { passwords: [PASSWORD], shortcuts: { 'say hello': '.s echo hello' } },
        },
      });
      await daemon.waitFor((l) => l.msg === 'config reloaded', mark);
      held.release();
      assert.deepEqual((await slow).body, { ok: true, output: 'finished', error: null });
      assert.equal((await command(url, 'say hello')).body.output, 'hello');
    } finally {
      held.release();
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });

  it('keeps the running config when the new one is invalid, and reloads on SIGHUP', async () => {
    const path = configDir(base);
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      let mark = daemon.lines.length;
      writeFileSync(path, '{ "filters": ');
      const failed = await daemon.waitFor(
        (l) => l.msg === 'config reload failed; the running config stays',
        mark,
      );
      assert.match(String(failed.problems?.[0]), /invalid JSON/);
      assert.equal((await command(url, `${PASSWORD} .s echo still`)).body.output, 'still');
      mark = daemon.lines.length;
      writeConfig(path, {
        ...base,
        filters: { pinAndShortcuts: { passwords: ['a-new-password'] } },
      });
      await daemon.waitFor((l) => l.msg === 'config reloaded', mark);
      mark = daemon.lines.length;
      daemon.child.kill('SIGHUP');
      await daemon.waitFor((l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP', mark);
      assert.equal((await command(url, `${PASSWORD} .s echo old`)).status, 401);
      assert.equal((await command(url, 'a-new-password .s echo new')).body.output, 'new');
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });

  it('applies new mail settings on reload: mail that waited for the relay goes out', async () => {
    const sink = await startMailSink();
    // A long backoff: only the reload can explain a prompt delivery.
    const mail = (port: number) => ({
      smtp: { host: '127.0.0.1', port },
      from: 'sb@example.com',
      retry: { initialSec: 3600 },
    });
    const path = configDir({ ...base, mail: mail(await deadPort()) });
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      const sent = await command(url, `${PASSWORD} .m friend@example.com "waiting" the body`);
      assert.match(sent.body.output, /^queued for friend@example\.com/);
      await daemon.waitFor((l) => l.msg === 'mail delivery failed; will retry');
      const mark = daemon.lines.length;
      writeConfig(path, { ...base, mail: mail(sink.port) });
      await daemon.waitFor((l) => l.msg === 'config reloaded', mark);
      await daemon.waitFor((l) => l.msg === 'mail delivered', mark);
      assert.equal(sink.received.length, 1);
      assert.match(sink.received[0] ?? '', /^Subject: waiting\r$/m);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
      await sink.close();
    }
  });

  it('restarts the channel when its listen address changes', async () => {
    const path = configDir(base);
    const daemon = new RunningDaemon(path);
    try {
      const first = await daemon.url();
      const mark = daemon.lines.length;
      writeConfig(path, { ...base, http: { listen: '127.0.0.1:0', basePath: '/moved' } });
      const second = await daemon.url(mark);
      assert.match(second, /\/moved$/);
      assert.equal((await command(second, `${PASSWORD} .s echo moved`)).body.output, 'moved');
      assert.notEqual(first, second);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });

  it('on SIGTERM finishes the running command, then exits 0', async () => {
    const daemon = new RunningDaemon(configDir(base));
    const held = new HeldCommand();
    try {
      const url = await daemon.url();
      const slow = command(url, `${PASSWORD} .s ${held.shell('done')}`);
      await held.started(slow);
      const mark = daemon.lines.length;
      daemon.child.kill('SIGTERM');
      // The daemon has begun to stop while the command still runs.
      const stopping = await daemon.waitFor((l) => l.msg === 'stopping', mark);
      assert.equal(stopping.inFlight, 1);
      held.release();
      assert.deepEqual((await slow).body, { ok: true, output: 'done', error: null });
      assert.equal(await daemon.exit(), 0);
      assert.ok(daemon.lines.some((l) => l.msg === 'stopped'));
    } finally {
      held.release();
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });

  it('stops after replying to ".e stop"', async () => {
    const daemon = new RunningDaemon(configDir(base));
    const url = await daemon.url();
    assert.equal((await command(url, `${PASSWORD} .e stop`)).body.output, 'OK - stopping');
    assert.equal(await daemon.exit(), 0);
  });
});
