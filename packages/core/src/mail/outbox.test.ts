import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { Logger } from 'pino';
import {
  deadPort,
  pathExists,
  startMailSink,
  WAIT_MS,
  waitFor,
  type MailSink,
} from '../testing.js';
import { Outbox } from './outbox.js';
import type { OutboxOptions } from './outbox.js';
import type { OutgoingMail } from './outgoing-mail.js';

/** A logger whose lines the test can read back. */
function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-test-'));
  dirs.push(dir);
  return join(dir, 'outbox');
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function options(dir: string, port: number | undefined, extra: Partial<OutboxOptions> = {}) {
  return {
    dir,
    from: 'Switchboard <sb@example.com>',
    smtp: port === undefined ? undefined : { host: '127.0.0.1', port, secure: false },
    retry: { initialSec: 0.05, maxHours: 48 },
    logger: captureLogger().logger,
    ...extra,
  };
}

async function readQueued(dir: string, id: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as Record<string, unknown>;
}

const mail: OutgoingMail = {
  to: ['alice@example.com'],
  subject: 'Re: uptime',
  text: 'up 3 days',
  replyTo: 'ops@example.com',
  inReplyTo: '<orig-1@example.com>',
  references: ['<orig-1@example.com>'],
  headers: { 'X-Switchboard-Loop': '1' },
  attachments: [
    {
      filename: 'note.txt',
      contentType: 'text/plain',
      contentBase64: Buffer.from('hello').toString('base64'),
    },
  ],
};

void describe('Outbox', () => {
  void it('delivers a queued mail and removes its file', async () => {
    const sink = await startMailSink();
    const dir = await freshDir();
    const outbox = new Outbox(options(dir, sink.port));
    try {
      await outbox.start();
      const id = await outbox.enqueue(mail);
      assert.equal(await outbox.drain(WAIT_MS), true);
      assert.equal(sink.received.length, 1);
      const raw = sink.received[0] ?? '';
      assert.match(raw, /^From: Switchboard <sb@example\.com>\r$/m);
      assert.match(raw, /^To: alice@example\.com\r$/m);
      assert.match(raw, /^Subject: Re: uptime\r$/m);
      assert.match(raw, /^Reply-To: ops@example\.com\r$/m);
      assert.match(raw, /^In-Reply-To: <orig-1@example\.com>\r$/m);
      assert.match(raw, /^References: <orig-1@example\.com>\r$/m);
      assert.match(raw, /^X-Switchboard-Loop: 1\r$/m);
      assert.match(raw, /filename=note\.txt/);
      assert.match(raw, /aGVsbG8=/);
      assert.equal(await pathExists(join(dir, `${id}.json`)), false);
      assert.deepEqual(await outbox.pending(), []);
    } finally {
      await outbox.stop();
      await sink.close();
    }
  });

  void it('sends each of several mails enqueued at once exactly once', async () => {
    const sink = await startMailSink();
    const dir = await freshDir();
    const outbox = new Outbox(options(dir, sink.port));
    try {
      await outbox.start();
      const subjects = ['one', 'two', 'three'];
      await Promise.all(subjects.map((subject) => outbox.enqueue({ ...mail, subject })));
      await waitFor('three mails', async () => (await outbox.pending()).length === 0);
      assert.equal(await outbox.drain(WAIT_MS), true);
      const got = sink.received.map((raw) => /^Subject: (\w+)\r$/m.exec(raw)?.[1]).sort();
      assert.deepEqual(got, ['one', 'three', 'two']);
    } finally {
      await outbox.stop();
      await sink.close();
    }
  });

  void it('keeps the file with attempts and a backoff while the relay is down, then delivers', async () => {
    const port = await deadPort();
    const dir = await freshDir();
    const { logger, lines } = captureLogger();
    const auth = { user: 'sb', pass: 'relay-secret-1' };
    const smtp = { host: '127.0.0.1', port, secure: false, auth };
    const outbox = new Outbox(options(dir, port, { logger, smtp }));
    let sink: MailSink | undefined;
    try {
      await outbox.start();
      const id = await outbox.enqueue(mail);
      // The warning is logged after the record is rewritten, so waiting for it covers both.
      await waitFor('a failed attempt', () => lines.some((line) => line.includes('will retry')));
      const queued = await readQueued(dir, id);
      assert.ok(Number(queued.attempts) >= 1);
      assert.equal(typeof queued.nextAttemptAt, 'number');
      assert.ok(Number(queued.nextAttemptAt) > Number(queued.firstQueuedAt));
      assert.match(String(queued.lastError), /ECONNREFUSED/);
      assert.deepEqual(await outbox.pending(), [id]);
      assert.ok(!lines.some((line) => line.includes(auth.pass) || line.includes(mail.text)));

      sink = await startMailSink(port);
      const up = sink;
      await waitFor('delivery once the relay is up', () => up.received.length === 1);
      await waitFor('the file to go', async () => (await outbox.pending()).length === 0);
    } finally {
      await outbox.stop();
      await sink?.close();
    }
  });

  void it('resumes after a restart and tries queued mail right away', async () => {
    const dir = await freshDir();
    // A long backoff: only the restart itself can explain a prompt delivery.
    const slow = { retry: { initialSec: 3600, maxHours: 48 } };
    const first = new Outbox(options(dir, await deadPort(), slow));
    await first.start();
    const id = await first.enqueue(mail);
    await waitFor('a failed attempt', async () => (await readQueued(dir, id)).attempts === 1);
    await first.stop();

    const sink = await startMailSink();
    const second = new Outbox(options(dir, sink.port, slow));
    try {
      await second.start();
      await waitFor('delivery after restart', () => sink.received.length === 1);
      assert.equal(await second.drain(WAIT_MS), true);
      assert.deepEqual(await second.pending(), []);
    } finally {
      await second.stop();
      await sink.close();
    }
  });

  void it('delivers mail enqueued while the outbox was not running', async () => {
    const dir = await freshDir();
    const sink = await startMailSink();
    const idle = new Outbox(options(dir, sink.port));
    const id = await idle.enqueue(mail);
    await idle.stop();
    assert.deepEqual(await idle.pending(), [id]);

    const outbox = new Outbox(options(dir, sink.port));
    try {
      await outbox.start();
      assert.equal(await outbox.drain(WAIT_MS), true);
      assert.equal(sink.received.length, 1);
    } finally {
      await outbox.stop();
      await sink.close();
    }
  });

  void it('moves mail past maxHours to failed/ and logs a warning naming it', async () => {
    const dir = await freshDir();
    const { logger, lines } = captureLogger();
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const outbox = new Outbox(
      options(dir, await deadPort(), {
        logger,
        now: () => clock,
        retry: { initialSec: 0.05, maxHours: 1 },
      }),
    );
    try {
      await outbox.start();
      const id = await outbox.enqueue(mail);
      await waitFor(
        'a failed attempt',
        async () => Number((await readQueued(dir, id)).attempts) >= 1,
      );
      clock += 2 * 3_600_000;
      // The warning is the last thing the move does: once it is logged, the file is in failed/.
      const failedWarning = () =>
        lines
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((entry) => entry.id === id && String(entry.msg).includes('failed/'));
      await waitFor('a warning naming the failed mail', () => failedWarning() !== undefined);
      const warning = failedWarning();
      assert.ok(warning);

      const failed = join(dir, 'failed', `${id}.json`);
      assert.equal(await pathExists(failed), true);
      assert.deepEqual(await outbox.pending(), []);
      assert.deepEqual(await outbox.failed(), [id]);
      const record = JSON.parse(await readFile(failed, 'utf8')) as Record<string, unknown>;
      assert.ok(Number(record.attempts) >= 2);
      assert.match(String(record.lastError), /ECONNREFUSED/);
      assert.equal(warning.level, 40);
      assert.deepEqual(warning.to, ['alice@example.com']);
      assert.match(String(warning.lastError), /ECONNREFUSED/);
    } finally {
      await outbox.stop();
    }
  });

  void it('removes a half-written .tmp- file at start', async () => {
    const dir = await freshDir();
    const outbox = new Outbox(options(dir, undefined));
    await outbox.enqueue(mail); // creates the dirs and one real queued mail
    await writeFile(join(dir, '.tmp-crashed'), '{"id":');
    try {
      await outbox.start();
      const names = await readdir(dir);
      assert.equal(
        names.some((name) => name.startsWith('.tmp-')),
        false,
      );
      assert.equal((await outbox.pending()).length, 1);
    } finally {
      await outbox.stop();
    }
  });

  void it('without smtp configured keeps mail waiting, says so once, and never throws', async () => {
    const dir = await freshDir();
    const { logger, lines } = captureLogger();
    const outbox = new Outbox(options(dir, undefined, { logger }));
    try {
      await outbox.start();
      const id = await outbox.enqueue(mail);
      assert.equal(await outbox.drain(50), false);
      assert.deepEqual(await outbox.pending(), [id]);
      assert.equal((await readQueued(dir, id)).attempts, 0);
      const notices = lines.filter((line) => line.includes('mail.smtp is not set'));
      assert.equal(notices.length, 1);
    } finally {
      await outbox.stop();
    }
  });

  void it('adopts mail another process left, once nobody has touched it for a while', async () => {
    const dir = await freshDir();
    const sink = await startMailSink();
    const { logger, lines } = captureLogger();
    const daemon = new Outbox(options(dir, sink.port, { logger, rescanMs: 20 }));
    try {
      await daemon.start();
      // Another process (a one-shot `exec`) queues a mail it cannot deliver itself.
      const id = await new Outbox(options(dir, undefined)).enqueue(mail);
      await sleep(300); // many rescans: a fresh file may still be in its writer's hands
      assert.equal(sink.received.length, 0);
      assert.deepEqual(await daemon.pending(), [id]);

      const tenMinutesAgo = new Date(Date.now() - 600_000);
      await utimes(join(dir, `${id}.json`), tenMinutesAgo, tenMinutesAgo);
      await waitFor('the adopted mail to go', async () => (await daemon.pending()).length === 0);
      assert.equal(sink.received.length, 1);
      assert.ok(lines.some((line) => line.includes('left by another process')));
    } finally {
      await daemon.stop();
      await sink.close();
    }
  });

  void it('sends queued mail at once through a relay given by reconfigure()', async () => {
    const dir = await freshDir();
    const { logger, lines } = captureLogger();
    // A long backoff: only the new settings can explain a prompt delivery.
    const retry = { initialSec: 3600, maxHours: 48 };
    const outbox = new Outbox(options(dir, await deadPort(), { logger, retry }));
    const sink = await startMailSink();
    try {
      await outbox.start();
      const id = await outbox.enqueue(mail);
      await waitFor('a failed attempt', () => lines.some((line) => line.includes('will retry')));
      const smtp = { host: '127.0.0.1', port: sink.port, secure: false };
      outbox.reconfigure({ from: 'new@example.com', smtp, retry });
      await waitFor('delivery through the new relay', () => sink.received.length === 1);
      assert.match(sink.received[0] ?? '', /^From: new@example\.com\r$/m);
      await waitFor('the file to go', async () => (await outbox.pending()).length === 0);
      assert.equal(await pathExists(join(dir, `${id}.json`)), false);
    } finally {
      await outbox.stop();
      await sink.close();
    }
  });

  void it('starts delivering when reconfigure() sets a relay where there was none', async () => {
    const dir = await freshDir();
    const outbox = new Outbox(options(dir, undefined));
    const sink = await startMailSink();
    try {
      await outbox.start();
      await outbox.enqueue(mail);
      assert.equal(await outbox.drain(50), false);
      outbox.reconfigure({
        from: 'sb@example.com',
        smtp: { host: '127.0.0.1', port: sink.port, secure: false },
        retry: { initialSec: 30, maxHours: 48 },
      });
      await waitFor('delivery', () => sink.received.length === 1);
      assert.equal(await outbox.drain(WAIT_MS), true);
    } finally {
      await outbox.stop();
      await sink.close();
    }
  });
});
