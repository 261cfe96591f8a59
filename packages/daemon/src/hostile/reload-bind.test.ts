/**
 * A reload that cannot be applied (DESIGN §10): a new listen address that someone else holds,
 * or a channel that refuses to start, keeps the old listeners and the old config, and says
 * which key; a daemon that must stop because of a failure exits 1, never 0.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configDir, RunningDaemon, writeConfig } from '../harness.js';
import {
  answer,
  exitWithin,
  freePort,
  smtpGreeting,
  startBotApi,
  takePort,
  type TakenPort,
} from './support.js';
import { postCommand } from './http-client.js';

const OLD = 'old-reload-password';
const NEW = 'new-reload-password';

/** A config on fixed loopback ports, so "the old port" stays the same across restarts. */
function config(options: {
  password: string;
  http: number;
  smtp?: number;
  from?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    filters: { pinAndShortcuts: { passwords: [options.password] }, lintText: { maxLength: 1000 } },
    apps: { shell: { unrestricted: true } },
    mail: { from: options.from ?? 'old@sb.test' },
    http: { listen: `127.0.0.1:${options.http}` },
    ...(options.smtp === undefined
      ? {}
      : { smtp: { listen: `127.0.0.1:${options.smtp}`, myDomains: ['sb.test'] } }),
    ...options.extra,
  };
}

/** Asserts the old config is in force on the old http port: the old password, not the new. */
async function assertOldConfigServes(url: string): Promise<void> {
  const old = await postCommand(url, `${OLD} .s echo still-here`);
  assert.deepEqual(old.body, { ok: true, output: 'still-here', error: null });
  assert.equal((await postCommand(url, `${NEW} .s echo new`)).status, 401);
}

describe('a reload whose new listen address is taken', () => {
  it('keeps the old http listener and config, names http.listen, retries on SIGHUP', async () => {
    const taken: TakenPort = await takePort();
    const port = await freePort();
    const path = configDir(config({ password: OLD, http: port }));
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      assert.equal(url, `http://127.0.0.1:${port}`);
      const mark = daemon.lines.length;
      writeConfig(path, config({ password: NEW, http: taken.port, from: 'new@sb.test' }));
      const failed = await daemon.waitFor(
        (l) => l.msg === 'cannot apply the new config: http.listen: address already in use',
        mark,
      );
      assert.equal(failed.key, 'http.listen');
      await assertOldConfigServes(url);

      // SIGHUP retries the same file: still taken, still the old config.
      let hup = daemon.lines.length;
      daemon.child.kill('SIGHUP');
      await daemon.waitFor(
        (l) => String(l.msg).startsWith('cannot apply the new config:') && l.reason === 'SIGHUP',
        hup,
      );
      await assertOldConfigServes(url);
      // The failed reload changed mail.from too: the outbox was not given the new settings.
      assert.ok(!daemon.lines.slice(mark).some((l) => String(l.msg).startsWith('outbox: new')));
      assert.equal(daemon.child.exitCode, null);

      // Once the port is free, the same file applies.
      hup = daemon.lines.length;
      await taken.close();
      daemon.child.kill('SIGHUP');
      await daemon.waitFor((l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP', hup);
      const moved = await daemon.url(hup);
      assert.equal(moved, `http://127.0.0.1:${taken.port}`);
      assert.equal((await postCommand(moved, `${NEW} .s echo new`)).body.output, 'new');
      daemon.child.kill('SIGTERM');
      assert.equal(await exitWithin(daemon), 0);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await taken.close();
    }
  });

  it('keeps the old smtp listener and config, and names smtp.listen', async () => {
    const taken = await takePort();
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const path = configDir(config({ password: OLD, http: httpPort, smtp: smtpPort }));
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
      const mark = daemon.lines.length;
      writeConfig(path, config({ password: NEW, http: httpPort, smtp: taken.port }));
      await daemon.waitFor(
        (l) => l.msg === 'cannot apply the new config: smtp.listen: address already in use',
        mark,
      );
      assert.match(await smtpGreeting(smtpPort), /^220 /);
      await assertOldConfigServes(url);
      assert.equal(daemon.child.exitCode, null);
      daemon.child.kill('SIGTERM');
      assert.equal(await exitWithin(daemon), 0);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await taken.close();
    }
  });
});

describe('a reload whose new channels fail to start', () => {
  it('restarts the old channels on the old port with the old config', async () => {
    // The Bot API rejects the token, after the old listeners have been closed for the restart.
    const botApi = await startBotApi((res) => {
      answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    });
    const port = await freePort();
    const path = configDir(config({ password: OLD, http: port }));
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      const mark = daemon.lines.length;
      const telegram = { telegram: { token: '123456:rejected', apiRoot: botApi.url } };
      writeConfig(path, config({ password: NEW, http: port, extra: telegram }));
      const failed = await daemon.waitFor(
        (l) => String(l.msg).startsWith('cannot apply the new config: telegram.token: '),
        mark,
      );
      assert.equal(failed.key, 'telegram.token');
      await assertOldConfigServes(url);
      assert.equal(daemon.child.exitCode, null);
      daemon.child.kill('SIGTERM');
      assert.equal(await exitWithin(daemon), 0);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await botApi.close();
    }
  });

  it('exits 1 when even the old channels cannot be restarted', async () => {
    const port = await freePort();
    let thief: TakenPort | undefined;
    // While the daemon asks getMe, its old listener is closed: take its port, then refuse.
    const botApi = await startBotApi((res) => {
      void takePort(port)
        .then(
          (t) => (thief = t),
          () => undefined, // the test then fails on the exit code
        )
        .finally(() => {
          answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        });
    });
    const path = configDir(config({ password: OLD, http: port }));
    const daemon = new RunningDaemon(path);
    try {
      await daemon.url();
      const mark = daemon.lines.length;
      const telegram = { telegram: { token: '123456:rejected', apiRoot: botApi.url } };
      writeConfig(path, config({ password: NEW, http: port, extra: telegram }));
      assert.equal(await exitWithin(daemon), 1);
      const lines = daemon.lines.slice(mark).map((l) => String(l.msg));
      assert.ok(
        lines.includes('cannot restart the old channels: http.listen: address already in use'),
        lines.join('\n'),
      );
      assert.equal(lines.at(-1), 'stopped');
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await thief?.close();
      await botApi.close();
    }
  });
});
