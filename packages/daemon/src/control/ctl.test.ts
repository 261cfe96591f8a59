/**
 * `switchboard ctl` against a real daemon (one for the whole file): each verb through the
 * control socket, what it does to the daemon seen over HTTP, the log line each action leaves,
 * and the protocol's answers to requests that are wrong.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { configDir, RunningDaemon, runCli, writeConfig } from '../harness.js';
import { takePort } from '../hostile/support.js';
import { exchange } from './test-support.js';

const PASSWORD = 'ctl-test-password';

// The daemon's environment has the password; ctl's has not, and needs not.
const DAEMON_ENV = { CTL_TEST_PASSWORD: PASSWORD };
const base = {
  filters: { pinAndShortcuts: { passwords: ['${CTL_TEST_PASSWORD}'] } },
  limits: { failedLoginsBeforeBan: 2 },
  http: { listen: '127.0.0.1:0' },
  smtp: { listen: '127.0.0.1:0', myDomains: ['localhost'] },
};

describe('switchboard ctl', () => {
  let path: string;
  let socket: string;
  let daemon: RunningDaemon;
  let url: string;
  let smtpAddress: string;

  before(async () => {
    path = configDir(base);
    socket = join(dirname(path), 'data', 'control.sock');
    daemon = new RunningDaemon(path, { env: DAEMON_ENV });
    url = await daemon.url();
    const smtp = await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
    smtpAddress = String(smtp.address);
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exit();
  });

  const ctl = (...args: string[]) => runCli(['ctl', '-c', path, ...args]);

  const command = async (text: string) => {
    const res = await fetch(`${url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: text }),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error: unknown } };
  };

  /** The log line of a control socket action, from line `from` on. */
  const logged = (verb: string, from: number) =>
    daemon.waitFor((l) => l.via === 'control socket' && l.verb === verb, from);

  it('status: version, uptime, channels with addresses and counts, outbox, switches', async () => {
    assert.equal((await command(`${PASSWORD} .e info`)).status, 200);
    const r = await ctl('status');
    assert.equal(r.code, 0, r.stderr);
    const version = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^switchboard ${version}, pid \\d+, up \\d+s$`));
    assert.ok(lines.includes(`  http  ${url}/  commands: 1 ok, 0 failed`), r.stdout);
    assert.ok(lines.includes(`  smtp  ${smtpAddress}  commands: 0 ok, 0 failed`), r.stdout);
    assert.ok(lines.includes('outbox: 0 queued, 0 failed'), r.stdout);
    assert.ok(lines.includes('lockdown: off'), r.stdout);
    assert.ok(lines.includes('maintenance: off'), r.stdout);
  });

  it('status --json: the same as data', async () => {
    const r = await ctl('status', '--json');
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(status.pid, daemon.child.pid);
    assert.equal(typeof status.uptimeSec, 'number');
    assert.deepEqual(status.channels, [
      { name: 'http', address: `${url}/`, ok: 1, failed: 0 },
      { name: 'smtp', address: smtpAddress, ok: 0, failed: 0 },
    ]);
    assert.deepEqual(status.outbox, { queued: 0, failed: 0 });
    assert.equal(status.lockdown, false);
    assert.equal(status.maintenance, false);
  });

  it('bans lists a ban and unban lifts it; each action is logged', async () => {
    assert.equal((await ctl('bans')).stdout, 'no bans\n');
    for (let i = 0; i < 2; i++) await command('wrong-password .e info');
    assert.equal((await command(`${PASSWORD} .e info`)).status, 403);
    const bans = await ctl('bans');
    assert.equal(bans.code, 0, bans.stderr);
    assert.match(bans.stdout, /^127\.0\.0\.1 on http until \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    const json = JSON.parse((await ctl('bans', '--json')).stdout) as { bans: unknown[] };
    assert.equal(json.bans.length, 1);

    const from = daemon.lines.length;
    const r = await ctl('unban', '127.0.0.1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'unbanned 127.0.0.1 (1 ban(s))\n');
    const line = await logged('unban', from);
    assert.equal(line.source, '127.0.0.1');
    assert.equal((await command(`${PASSWORD} .e info`)).status, 200);
    assert.equal((await ctl('unban', '127.0.0.1')).stdout, '127.0.0.1 is not banned\n');
  });

  it('maintenance shows, turns on and turns off maintenance', async () => {
    assert.equal((await ctl('maintenance')).stdout, 'maintenance is off\n');
    const from = daemon.lines.length;
    const on = await ctl('maintenance', 'on');
    assert.equal(on.code, 0, on.stderr);
    assert.equal(on.stdout, 'maintenance is on\n');
    await logged('maintenance', from);
    const refused = await command(`${PASSWORD} .e info`);
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error, 'under maintenance');
    assert.match((await ctl('status')).stdout, /^maintenance: on$/m);
    assert.equal((await ctl('maintenance', 'off')).stdout, 'maintenance is off\n');
    assert.equal((await command(`${PASSWORD} .e info`)).status, 200);
  });

  it('reload applies a valid config and says why an invalid one is not applied', async () => {
    // ctl finds the socket from the control block alone: the rest may be broken.
    writeConfig(path, { ...base, limits: { failedLoginsBeforeBan: 3 } });
    const from = daemon.lines.length;
    const ok = await ctl('reload');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'reloaded: the new config is in force\n');
    await logged('reload', from);

    writeConfig(path, { ...base, http: { listen: 'nowhere' } });
    const bad = await ctl('reload');
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.equal(
      bad.stderr,
      'ctl: the new config was not applied: http.listen: must be host:port\n',
    );

    const taken = await takePort();
    try {
      writeConfig(path, { ...base, http: { listen: `127.0.0.1:${taken.port}` } });
      const held = await ctl('reload');
      assert.equal(held.code, 1);
      assert.equal(
        held.stderr,
        'ctl: the new config was not applied: http.listen: address already in use\n',
      );
    } finally {
      await taken.close();
    }
    writeConfig(path, base);
    assert.equal((await ctl('reload')).code, 0);
    assert.equal((await command(`${PASSWORD} .e info`)).status, 200);
  });

  it('lock locks the daemon down until restart', async () => {
    const from = daemon.lines.length;
    const r = await ctl('lock');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'locked down until restart: every channel now refuses\n');
    await logged('lock', from);
    assert.equal((await command(`${PASSWORD} .e info`)).status, 503);
    assert.match((await ctl('status')).stdout, /^lockdown: on$/m);
  });

  it('refuses usage errors before asking the daemon', async () => {
    for (const [args, message] of [
      [[], /^switchboard: ctl: no action given/],
      [['frobnicate'], /^switchboard: ctl: unknown action "frobnicate"/],
      [['unban'], /^switchboard: ctl: unban needs a SOURCE/],
      [['maintenance', 'sideways'], /^switchboard: ctl: maintenance takes on or off/],
      [['status', 'extra'], /^switchboard: ctl: status takes no argument/],
    ] as const) {
      const r = await ctl(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const help = await runCli(['ctl', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: switchboard ctl \[-c FILE\] \[--json\]/);
  });

  it('answers malformed, unknown and oversized requests with a clear error', async () => {
    assert.deepEqual(await exchange(socket, 'not json\n'), [
      { ok: false, error: 'malformed request: not a JSON object on one line' },
    ]);
    assert.deepEqual(await exchange(socket, '{"verb":"frob"}\n'), [
      {
        ok: false,
        error: 'unknown verb "frob": one of status, bans, unban, lock, maintenance, reload',
      },
    ]);
    assert.deepEqual(await exchange(socket, '{"verb":"unban"}\n{"verb":"maintenance"}\n'), [
      { ok: false, error: 'unban needs "source": a non-empty string' },
      { ok: true, result: { maintenance: false } },
    ]);
    assert.deepEqual(await exchange(socket, `{"verb":"status","pad":"${'x'.repeat(5000)}"}\n`), [
      { ok: false, error: 'request too long: at most 4096 bytes a line' },
    ]);
  });
});

describe('switchboard ctl without a daemon', () => {
  it('says no daemon is listening, with exit status 1', async () => {
    const path = configDir({ control: { socket: 'nobody-here.sock' } });
    const r = await runCli(['ctl', '-c', path, 'status']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `ctl: no daemon is listening on ${join(dirname(path), 'nobody-here.sock')}\n`,
    );
  });
});
