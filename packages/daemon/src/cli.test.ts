import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deadPort, startMailSink, type MailSink } from '@switchboard/core/testing';
import { CLI, EXAMPLE } from './harness.js';
const PASSWORD = 'cli-test-password';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function configFile(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const basic = {
  filters: { pinAndShortcuts: { passwords: [PASSWORD], shortcuts: { 'say hi': '.s echo hi' } } },
  apps: { shell: { unrestricted: true } },
};

describe('switchboard exec', () => {
  const file = configFile(basic);

  it('prints the output of a command and exits 0', async () => {
    const r = await cli(['exec', '-c', file, '--', `${PASSWORD} .s echo hi`]);
    assert.deepEqual(r, { code: 0, stdout: 'hi\n', stderr: '' });
  });

  it('runs a shortcut', async () => {
    assert.equal((await cli(['exec', '-c', file, '--', 'say hi'])).stdout, 'hi\n');
  });

  it('prints "invalid password or shortcut" for a wrong password and exits 1', async () => {
    const r = await cli(['exec', '-c', file, '--', 'wrong .s echo hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'invalid password or shortcut\n');
  });

  it('exits 1 with the error and output of a failing command', async () => {
    const r = await cli(['exec', '-c', file, '--', `${PASSWORD} .s echo out; exit 3`]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'exit status 3|out\n');
  });

  it('uses the filters of the chosen channel', async () => {
    const r = await cli([
      'exec',
      '-c',
      file,
      '--channel',
      'twilio',
      '--',
      `${PASSWORD} .s printf 'a\\nb'`,
    ]);
    assert.equal(r.stdout, 'a;b\n');
  });

  it('exits 2 on usage and config errors', async () => {
    assert.equal((await cli(['exec', '-c', file, '--channel', 'fax', '--', 'x'])).code, 2);
    assert.equal((await cli(['exec', '-c', file])).code, 2);
    assert.equal((await cli(['exec', '-c', file, '--bogus', '--', 'x'])).code, 2);
    const missing = await cli(['exec', '-c', '/nonexistent/config.json', '--', 'x']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
  });
});

describe('switchboard exec with mail', () => {
  let sink: MailSink;
  before(async () => {
    sink = await startMailSink();
  });
  after(() => sink.close());

  it("delivers .m through the relay before exiting, and leaves the daemon's mail alone", async () => {
    const file = configFile({
      ...basic,
      mail: { smtp: { host: '127.0.0.1', port: sink.port }, from: 'sb@example.com' },
    });
    // A mail the daemon queued earlier: exec must not deliver it behind the daemon's back.
    const outbox = join(dirname(file), 'data', 'outbox');
    mkdirSync(outbox, { recursive: true });
    const old = join(outbox, '0000000000001-old.json');
    writeFileSync(
      old,
      JSON.stringify({
        id: '0000000000001-old',
        mail: { to: ['x@example.com'], subject: 'old', text: 'old' },
        attempts: 0,
        firstQueuedAt: Date.now(),
        nextAttemptAt: Date.now(),
      }),
    );
    const r = await cli([
      'exec',
      '-c',
      file,
      '--',
      `${PASSWORD} .m friend@example.com "hello" the body`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^queued for friend@example\.com/);
    assert.equal(sink.received.length, 1);
    assert.match(sink.received[0] ?? '', /Subject: hello/);
    assert.match(sink.received[0] ?? '', /the body/);
    assert.ok(existsSync(old), "exec delivered (or removed) the daemon's queued mail");
  });

  it('says so when the relay is down, and leaves the mail in the outbox', async () => {
    const file = configFile({
      ...basic,
      mail: { smtp: { host: '127.0.0.1', port: await deadPort() }, from: 'sb@example.com' },
    });
    const r = await cli(['exec', '-c', file, '--', `${PASSWORD} .m friend@example.com "hi" body`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^1 mail\(s\) not delivered yet wait in the outbox;/m);
    const outbox = join(dirname(file), 'data', 'outbox');
    const queued = readdirSync(outbox).filter((name) => name.endsWith('.json'));
    assert.equal(queued.length, 1);
  });
});

describe('switchboard check', () => {
  it('accepts the example config', async () => {
    const r = await cli(['check', '-c', EXAMPLE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OK\n {2}channels: http, smtp\n/);
    assert.match(
      r.stdout,
      /\n {2}programs: (posix_spawn|child_process \(.+\))\n {2}contain: .+\n {2}state: memory\n$/,
    );
  });

  it('names the shared state store by its host, never its password', async () => {
    const file = configFile({
      ...basic,
      state: { store: 'redis', redis: { url: 'redis://:hunter2pass@127.0.0.1:6390/2' } },
    });
    const r = await cli(['check', '-c', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n {2}state: redis at 127\.0\.0\.1:6390, keys switchboard:\*\n$/);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2pass/);
  });

  it('lists every problem with its JSON path and exits 1', async () => {
    const file = configFile({
      http: { lisen: 3, listen: 'nohost' },
      limits: { banSec: 'x' },
      filters: { pinAndShortcuts: { passwords: ['short', '${SB_TEST_UNSET}'] } },
    });
    const r = await cli(['check', '-c', file]);
    assert.equal(r.code, 1);
    for (const line of [
      'filters.pinAndShortcuts.passwords[0]: must be at least 7 characters',
      'filters.pinAndShortcuts.passwords[1]: environment variable SB_TEST_UNSET is not set',
      'limits.banSec: must be an integer',
      'http.lisen: unknown key',
      'http.listen: must be host:port',
    ]) {
      assert.ok(r.stderr.includes(line), `missing "${line}" in:\n${r.stderr}`);
    }
  });

  it('refuses the example password beyond loopback', async () => {
    const file = configFile({
      filters: { pinAndShortcuts: { passwords: ['switchboard-example-pass'] } },
      http: { listen: '0.0.0.0:8080' },
    });
    const r = await cli(['check', '-c', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /http: .*example password/);
  });

  it('reads ${ENV} values from the environment', async () => {
    const file = configFile({ filters: { pinAndShortcuts: { passwords: ['${SB_TEST_PW}'] } } });
    assert.equal((await cli(['check', '-c', file], { SB_TEST_PW: 'from-the-env' })).code, 0);
  });
});

describe('switchboard totp', () => {
  it('prints a code pair that exec accepts, and enrolment URIs', async () => {
    const file = configFile(basic);
    const r = await cli(['totp', '-c', file, '--no-qr']);
    assert.equal(r.code, 0, r.stderr);
    const m = /code pair now (\d{6}) (\d{6})/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.match(
      r.stdout,
      /code A: otpauth:\/\/totp\/Switchboard:password%201%20A\?secret=[A-Z2-7]+/,
    );
    assert.ok(!r.stdout.includes(PASSWORD), 'totp printed the password in clear');
    const run = await cli(['exec', '-c', file, '--', `${m[1]}${m[2]}.s echo by code`]);
    assert.equal(run.stdout, 'by code\n');
  });

  it('draws QR codes unless told not to', async () => {
    const r = await cli(['totp', '-c', configFile(basic)]);
    assert.match(r.stdout, /▄/);
  });
});

describe('switchboard help', () => {
  it('has help for every command', async () => {
    for (const verb of ['check', 'exec', 'totp']) {
      const r = await cli([verb, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: switchboard ${verb}`));
    }
    assert.match((await cli(['--help'])).stdout, /^Usage: switchboard <command>/);
  });

  it('exits 2 for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });
});
