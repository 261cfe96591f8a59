/**
 * The control socket's life with real daemons: its mode and folder, another user refused, a
 * stale socket replaced, a live one never taken over, removal at stop, and the paths that
 * cannot be a socket.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { configDir, RunningDaemon, runCli, writeConfig } from '../harness.js';
import { exitWithin } from '../hostile/support.js';
import { connectError, exchange } from './test-support.js';

const PASSWORD = 'socket-test-password';
const base = {
  filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
  http: { listen: '127.0.0.1:0' },
};
/** uid and gid of nobody:nogroup on Debian. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** The control socket's "listening" line. */
const listening = (daemon: RunningDaemon) =>
  daemon.waitFor((l) => l.msg === 'control socket listening');

/** Stops `daemon` and waits for it; SIGKILL if the test failed before that. */
async function stop(daemon: RunningDaemon): Promise<number | null> {
  daemon.child.kill('SIGTERM');
  return daemon.exit();
}

/** What user nobody sees of `socket`: its file type, and the error of a connection to it. */
async function asNobody(socket: string): Promise<unknown> {
  const script = `
    const { connect } = require('node:net');
    const stat = require('node:fs').statSync(process.argv[1]).isSocket() ? 'socket' : 'other';
    connect(process.argv[1])
      .on('connect', () => { console.log(JSON.stringify({ stat, connect: 'connected' })); process.exit(); })
      .on('error', (e) => console.log(JSON.stringify({ stat, connect: e.code })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, socket], {
    uid: NOBODY,
    gid: NOBODY,
  });
  return JSON.parse(stdout) as unknown;
}

describe('the control socket', () => {
  it('is mode 0600, in folders made 0700; another user cannot connect', async () => {
    const path = configDir({ ...base, control: { socket: 'run/ctl/control.sock' } });
    const dir = dirname(path);
    const socket = join(dir, 'run/ctl/control.sock');
    const daemon = new RunningDaemon(path);
    try {
      assert.equal((await listening(daemon)).socket, socket);
      assert.equal(statSync(socket).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'run')).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'run/ctl')).mode & 0o777, 0o700);
      if (!isRoot) return; // switching user needs root; the CI runs as root
      // Let every user reach the socket and read the config: only the socket's mode is left.
      for (const folder of [dir, join(dir, 'run'), join(dir, 'run/ctl')]) chmodSync(folder, 0o755);
      chmodSync(path, 0o644);
      assert.deepEqual(await asNobody(socket), { stat: 'socket', connect: 'EACCES' });
      const r = await runCli(['ctl', '-c', path, 'status'], { uid: NOBODY });
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `ctl: permission denied on ${socket}: run ctl as the user the daemon runs as\n`,
      );
      assert.equal((await runCli(['ctl', '-c', path, 'status'])).code, 0);
    } finally {
      assert.equal(await stop(daemon), 0, daemon.stderr);
    }
  });

  it('replaces a stale socket, refuses a second daemon on a live one, and goes at stop', async () => {
    const path = configDir(base);
    const socket = join(dirname(path), 'data/control.sock');
    const crashed = new RunningDaemon(path);
    await listening(crashed);
    crashed.child.kill('SIGKILL');
    await crashed.exit();
    assert.ok(lstatSync(socket).isSocket(), 'a killed daemon leaves its socket behind');
    assert.equal(await connectError(socket), 'ECONNREFUSED');

    const daemon = new RunningDaemon(path);
    try {
      await daemon.waitFor((l) => l.msg === 'control socket: replaced a stale one');
      await listening(daemon);
      assert.equal((await runCli(['ctl', '-c', path, 'status'])).code, 0);

      const second = new RunningDaemon(configDir({ ...base, control: { socket } }));
      assert.equal(await exitWithin(second), 1);
      assert.equal(second.stderr, 'switchboard: control.socket: in use by another daemon\n');
      assert.equal((await runCli(['ctl', '-c', path, 'status'])).code, 0);

      // A reload that moves the socket leaves it where it is until the next start.
      writeConfig(path, { ...base, control: { socket: 'elsewhere.sock' } });
      assert.deepEqual(await exchange(socket, '{"verb":"reload"}\n'), [
        { ok: true, result: { applied: true } },
      ]);
      await daemon.waitFor((l) => String(l.msg).startsWith('control.socket changed'));
      assert.equal(await connectError(socket), undefined);
    } finally {
      assert.equal(await stop(daemon), 0, daemon.stderr);
    }
    assert.equal(existsSync(socket), false, 'the socket is removed at stop');
  });

  it('refuses a path that is not a socket, and one too long for a socket', async () => {
    const path = configDir({ ...base, control: { socket: 'notes.txt' } });
    const file = join(dirname(path), 'notes.txt');
    writeFileSync(file, 'keep me\n');
    const notSocket = new RunningDaemon(path);
    assert.equal(await exitWithin(notSocket), 1);
    assert.equal(notSocket.stderr, `switchboard: control.socket: ${file} is not a socket\n`);
    assert.equal(statSync(file).size, 8, 'the file is left alone');

    const deep = join(dirname(path), 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const tooLong = new RunningDaemon(configDir({ ...base, control: { socket: `${deep}/s` } }));
    assert.equal(await exitWithin(tooLong), 1);
    assert.match(
      tooLong.stderr,
      /^switchboard: control\.socket: path too long for a Unix socket \(\d+ bytes; at most 107\)\n$/,
    );
  });
});
