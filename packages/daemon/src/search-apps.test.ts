/**
 * `.g` and `.a` from outside (issue 14): the built CLI's `exec` and a daemon's http channel,
 * on files made with the real `openssl`; bad input is one line; the key of `.a` never reaches
 * the log, the exec output or the notification mail.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailSink, waitFor, type MailSink } from '@switchboard/core/testing';
import { runCli, RunningDaemon, writeConfig } from './harness.js';
import { postCommand } from './hostile/http-client.js';

const PASSWORD = 'search-apps-password';
const PASSPHRASE = 'Tr0ub4dor-and-3';
const dir = mkdtempSync(join(tmpdir(), 'sb-search-'));
writeFileSync(join(dir, 'manual.txt'), 'where The volume button is\nWhere is the USB port\n');
writeFileSync(join(dir, 'notes.txt'), 'locker code 1234\nWiFi: hunter2\n');
execFileSync('openssl', [
  'enc',
  '-aes256',
  '-pbkdf2',
  '-in',
  join(dir, 'notes.txt'),
  '-out',
  join(dir, 'notes.enc'),
  '-pass',
  `pass:${PASSPHRASE}`,
]);

const apps = {
  textSearch: { files: { 'phone-manual': 'manual.txt', gone: 'gone.txt' } },
  aesSearch: {
    files: {
      notes: { path: 'notes.enc', kdf: 'pbkdf2' },
      lost: { path: 'lost.enc', kdf: 'pbkdf2' },
    },
  },
};

/** The commands both entry points run, and what each answers. */
const CASES: readonly (readonly [command: string, answer: string, ok: boolean])[] = [
  ['.g phone-manual where', '2 matches\nwhere The volume button is\nWhere is the USB port', true],
  [`.a notes ${PASSPHRASE} LOCKER`, '1 match\nlocker code 1234', true],
  ['.a notes not-the-passphrase locker', 'wrong key for "notes"', false],
  [`.a lost ${PASSPHRASE} x`, 'cannot read "lost": no such file', false],
  ['.g gone x', 'cannot read "gone": no such file', false],
  ['.g phone where', 'no file "phone"; shortcuts: phone-manual gone', false],
  [`.a notes ${PASSPHRASE}`, 'usage: .a SHORTCUT KEY TEXT', false],
  ['.g phone-manual', 'usage: .g SHORTCUT TEXT', false],
];

describe('.g and .a through switchboard exec', () => {
  const config = join(dir, 'exec.json');
  writeConfig(config, { filters: { pinAndShortcuts: { passwords: [PASSWORD] } }, apps });

  for (const [command, answer, ok] of CASES) {
    it(`answers "${command.replace(PASSPHRASE, 'PASSPHRASE')}"`, async () => {
      const r = await runCli(['exec', '-c', config, '--', `${PASSWORD} ${command}`], {
        env: { SWITCHBOARD_LOG_LEVEL: 'debug' },
      });
      assert.deepEqual([r.code, r.stdout], [ok ? 0 : 1, `${answer}\n`]);
      assert.doesNotMatch(r.stderr, new RegExp(PASSPHRASE));
    });
  }
});

describe('.g and .a through the http channel', () => {
  let daemon: RunningDaemon;
  let url = '';
  let relay: MailSink;

  before(async () => {
    relay = await startMailSink();
    const config = join(dir, 'daemon.json');
    writeConfig(config, {
      filters: {
        pinAndShortcuts: { passwords: [PASSWORD] },
        notifyViaEmail: { recipients: ['owner@sb.test'] },
      },
      mail: { smtp: { host: '127.0.0.1', port: relay.port }, outbox: join(dir, 'outbox') },
      http: { listen: '127.0.0.1:0' },
      apps,
    });
    daemon = new RunningDaemon(config, { env: { SWITCHBOARD_LOG_LEVEL: 'debug' } });
    url = await daemon.url();
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exit(), 0);
    await relay.close();
  });

  it('warns at start of the files its self-tests cannot read', async () => {
    const warnings = await waitForLines(2, (l) => l.msg === 'app self-test failed');
    assert.deepEqual(warnings.map((l) => l.app).sort(), ['.a', '.g']);
    assert.match(String(warnings.find((l) => l.app === '.a')?.reason), /files\.lost: cannot read/);
  });

  for (const [command, answer, ok] of CASES) {
    it(`answers POST /api/command "${command.replace(PASSPHRASE, 'PASSPHRASE')}"`, async () => {
      const r = await postCommand(url, `${PASSWORD} ${command}`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body,
        ok ? { ok, output: answer, error: null } : { ok, output: '', error: answer },
      );
    });
  }

  it('logs .a as hidden and never the passphrase, nor mails it', async () => {
    await postCommand(url, `${PASSWORD} .a notes ${PASSPHRASE} wifi`);
    const logged = await daemon.waitFor(
      (l) => l.msg === 'command' && l.ok === true && String(l.command).startsWith('.a'),
    );
    assert.equal(logged.command, '.a <hidden>');
    await waitFor('the notification of .a wifi', () =>
      relay.received.some((m) => m.includes('hunter2')),
    );
    const everything = [JSON.stringify(daemon.lines), daemon.stderr, ...relay.received].join('\n');
    assert.doesNotMatch(everything, new RegExp(PASSPHRASE));
    assert.doesNotMatch(everything, /not-the-passphrase/); // nor a wrong one
    assert.match(everything, /\.a <hidden>/);
  });

  /** The first `count` log lines that match, waiting for them. */
  async function waitForLines(count: number, match: (l: (typeof daemon.lines)[number]) => boolean) {
    await waitFor(`${count} log lines`, () => daemon.lines.filter(match).length >= count);
    return daemon.lines.filter(match);
  }
});
