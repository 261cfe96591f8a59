/**
 * A stop signal during start-up stops the start (DESIGN §10): `docker stop` or `systemctl
 * restart` right after a start. The process exits 0 (a requested stop is not a failure), no
 * channel announces itself once the stop has begun, and nothing is logged after `stopped`.
 * SIGTERM comes at several points, some of them held open by the test so none is luck.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { waitFor } from '@switchboard/core/testing';
import { configDir, HeldCommand, RunningDaemon, writeConfig, type LogLine } from '../harness.js';
import { answer, BOT_USER, exitWithin, startBotApi, type BotApi } from './support.js';

const PASSWORD = 'stop-during-start-password';
/** How often each timing point is tried. */
const TRIES = 4;

const base = {
  filters: { pinAndShortcuts: { passwords: [PASSWORD] }, lintText: { maxLength: 1000 } },
  apps: { shell: { unrestricted: true } },
  http: { listen: '127.0.0.1:0' },
  smtp: { listen: '127.0.0.1:0', myDomains: ['sb.test'] },
};

/**
 * Asserts that a daemon stopped during start-up ended cleanly: exit 0 and no error output,
 * no `listening` once `stopping` was logged, and `stopped` as the last line. `early`: the
 * signal may come before the daemon has its handlers, when Node's default ends the process.
 */
function assertStoppedCleanly(daemon: RunningDaemon, code: number | null, early = false): void {
  const log = daemon.lines.map((l) => JSON.stringify(l)).join('\n');
  if (early && code === null && daemon.lines.length === 0) {
    assert.equal(daemon.exitSignal, 'SIGTERM');
    return;
  }
  assert.equal(code, 0, `${daemon.stderr}\n${log}`);
  assert.equal(daemon.stderr, '');
  const msgs = daemon.lines.map((l: LogLine) => String(l.msg));
  const stopping = msgs.indexOf('stopping');
  if (stopping === -1) return; // stopped before it had a logger: nothing to say
  assert.ok(!msgs.slice(stopping).includes('listening'), log);
  assert.equal(msgs.indexOf('stopped'), msgs.length - 1, log);
}

/** A shell for apps.shell.interpreter whose first run (the self-test) waits for `held`. */
function heldInterpreter(held: HeldCommand): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-sh-')), 'held-sh');
  writeFileSync(path, `#!/bin/sh\n{ ${held.shell('held')}; } >/dev/null\nexec /bin/sh "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A Bot API that holds every getMe until release(). */
async function heldBotApi(): Promise<BotApi & { release(): void }> {
  const held: ServerResponse[] = [];
  const api = await startBotApi((res) => held.push(res));
  return Object.assign(api, {
    release: () => {
      for (const res of held.splice(0)) answer(res, 200, { ok: true, result: BOT_USER });
    },
  });
}

describe('a stop signal during start-up', () => {
  const points: [string, Record<string, unknown>, (d: RunningDaemon) => Promise<unknown>][] = [
    ['right after the spawn', base, () => Promise.resolve()],
    [
      'on its first log line (a self-test warning)',
      { ...base, apps: { shell: { unrestricted: true, interpreter: '/bin/false' } } },
      (d) => d.waitFor(() => true),
    ],
    ['on the outbox line', base, (d) => d.waitFor((l) => String(l.msg).startsWith('outbox:'))],
    ['on the first listening line', base, (d) => d.waitFor((l) => l.msg === 'listening')],
  ];
  for (const [when, config, point] of points) {
    it(`stops the start when SIGTERM comes ${when} (${TRIES} tries)`, async () => {
      for (let i = 0; i < TRIES; i++) {
        const daemon = new RunningDaemon(configDir(config));
        try {
          await point(daemon);
          daemon.child.kill('SIGTERM');
          assertStoppedCleanly(daemon, await exitWithin(daemon), when.startsWith('right after'));
        } finally {
          daemon.child.kill('SIGKILL');
          await daemon.exit();
        }
      }
    });
  }

  it('stops the start while an app self-test runs', async () => {
    const held = new HeldCommand();
    const shell = { unrestricted: true, interpreter: heldInterpreter(held) };
    const config = { ...base, apps: { shell } };
    const daemon = new RunningDaemon(configDir(config));
    try {
      await held.started(daemon.exit());
      daemon.child.kill('SIGTERM');
      await daemon.waitFor((l) => l.msg === 'stopped');
      // Only now may the self-test finish: the start must not go on.
      held.release();
      assertStoppedCleanly(daemon, await exitWithin(daemon));
      assert.ok(!daemon.lines.some((l) => String(l.msg).startsWith('outbox:')));
    } finally {
      held.release();
      daemon.child.kill('SIGKILL');
      await daemon.exit();
    }
  });

  it('stops the start while a channel starts (getMe held)', async () => {
    const botApi = await heldBotApi();
    const telegram = { token: '123456:held', apiRoot: botApi.url };
    const daemon = new RunningDaemon(configDir({ ...base, telegram }));
    try {
      await waitFor('getMe', () => botApi.getMeCalls > 0);
      daemon.child.kill('SIGTERM');
      await daemon.waitFor((l) => l.msg === 'stopped');
      // Only now may the Bot API answer: the other channels must not start.
      botApi.release();
      assertStoppedCleanly(daemon, await exitWithin(daemon));
      assert.ok(!daemon.lines.some((l) => l.msg === 'listening'));
    } finally {
      botApi.release();
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await botApi.close();
    }
  });

  it('stops a reload that restarts the channels (getMe held)', async () => {
    const botApi = await heldBotApi();
    const path = configDir(base);
    const daemon = new RunningDaemon(path);
    try {
      await daemon.url();
      writeConfig(path, { ...base, telegram: { token: '123456:held', apiRoot: botApi.url } });
      await waitFor('getMe', () => botApi.getMeCalls > 0);
      const mark = daemon.lines.length;
      daemon.child.kill('SIGTERM');
      await daemon.waitFor((l) => l.msg === 'stopped', mark);
      botApi.release();
      assertStoppedCleanly(daemon, await exitWithin(daemon));
      assert.ok(!daemon.lines.slice(mark).some((l) => l.msg === 'listening'));
    } finally {
      botApi.release();
      daemon.child.kill('SIGKILL');
      await daemon.exit();
      await botApi.close();
    }
  });
});
