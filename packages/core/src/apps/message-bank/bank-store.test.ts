import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BankStore, type NewMessage } from './bank-store.js';

const freshDir = async (): Promise<string> =>
  join(await mkdtemp(join(tmpdir(), 'sb-bank-')), 'message-bank');

const message = (text: string): NewMessage => ({
  time: '2026-12-01T14:58:30Z',
  channel: 'http',
  source: '192.0.2.1',
  text,
});

describe('the message bank store', () => {
  it('numbers messages from 1 and lists them newest first', async () => {
    const bank = new BankStore({ dir: await freshDir(), maxMessages: 10 });
    assert.deepEqual(await bank.post(message('one')), { number: 1, kept: 1 });
    assert.deepEqual(await bank.post(message('two')), { number: 2, kept: 2 });
    const { messages, total } = await bank.list(10);
    assert.equal(total, 2);
    assert.deepEqual(
      messages.map((m) => [m.number, m.text]),
      [
        [2, 'two'],
        [1, 'one'],
      ],
    );
    assert.deepEqual(await bank.read(1), { number: 1, ...message('one') });
    assert.equal(await bank.read(3), undefined);
  });

  it('drops the oldest beyond the maximum and keeps numbering up', async () => {
    const bank = new BankStore({ dir: await freshDir(), maxMessages: 3 });
    for (const text of ['a', 'b', 'c', 'd', 'e']) await bank.post(message(text));
    const { messages, total } = await bank.list(10);
    assert.equal(total, 3);
    assert.deepEqual(
      messages.map((m) => `${m.number}${m.text}`),
      ['5e', '4d', '3c'],
    );
  });

  it('deletes one message, or all of them', async () => {
    const bank = new BankStore({ dir: await freshDir(), maxMessages: 10 });
    for (const text of ['a', 'b', 'c']) await bank.post(message(text));
    assert.equal(await bank.delete(2), true);
    assert.equal(await bank.delete(2), false);
    assert.deepEqual(
      (await bank.list(10)).messages.map((m) => m.number),
      [3, 1],
    );
    assert.equal(await bank.clear(), 2);
    assert.deepEqual(await bank.list(10), { messages: [], total: 0 });
    assert.equal(await bank.clear(), 0, 'an empty or absent bank clears to nothing');
  });

  it('stops listing or clearing when its signal fires', async () => {
    const bank = new BankStore({ dir: await freshDir(), maxMessages: 10 });
    for (const text of ['a', 'b']) await bank.post(message(text));
    const aborted = AbortSignal.abort();
    await assert.rejects(bank.list(10, aborted), { name: 'AbortError' });
    await assert.rejects(bank.clear(aborted), { name: 'AbortError' });
    assert.equal((await bank.list(10)).total, 2, 'nothing was deleted');
  });

  it('keeps its files for the owner alone (0600 in a 0700 directory)', async () => {
    const dir = await freshDir();
    const bank = new BankStore({ dir, maxMessages: 10 });
    await bank.post(message('private'));
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const files = await readdir(dir);
    assert.deepEqual(files, ['1.json']);
    assert.equal((await stat(join(dir, '1.json'))).mode & 0o777, 0o600);
  });

  it('loses no message to concurrent posts', async () => {
    const bank = new BankStore({ dir: await freshDir(), maxMessages: 100 });
    const posted = await Promise.all(
      Array.from({ length: 40 }, (_, i) => bank.post(message(`m${i}`))),
    );
    assert.equal(new Set(posted.map((p) => p.number)).size, 40);
    const { messages } = await bank.list(100);
    assert.deepEqual(messages.map((m) => m.text).sort(), posted.map((_, i) => `m${i}`).sort());
  });

  it('skips files that are not its messages, and reads nothing of a torn one', async () => {
    const dir = await freshDir();
    const bank = new BankStore({ dir, maxMessages: 10 });
    await bank.post(message('kept'));
    await writeFile(join(dir, '2.json'), '{"number": 2, "text": "tor');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    assert.deepEqual(
      (await bank.list(10)).messages.map((m) => m.text),
      ['kept'],
    );
    assert.equal(await bank.read(2), undefined);
    assert.equal((await bank.post(message('next'))).number, 3);
  });

  it('says when its directory cannot be written', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sb-bank-')), 'a-file');
    await writeFile(file, '');
    const bank = new BankStore({ dir: join(file, 'bank'), maxMessages: 10 });
    await assert.rejects(bank.checkWritable(), /cannot write .*a-file\/bank/);
    await new BankStore({ dir: await freshDir(), maxMessages: 1 }).checkWritable();
  });

  it('keeps at most the maximum, the newest ones, whatever is posted and deleted (property)', async () => {
    const op = fc.oneof(
      fc.record({ post: fc.string({ maxLength: 20 }) }),
      fc.record({ delete: fc.integer({ min: 1, max: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(op, { maxLength: 25 }),
        async (max, ops) => {
          const bank = new BankStore({ dir: await freshDir(), maxMessages: max });
          let model: { number: number; text: string }[] = [];
          for (const o of ops) {
            if ('post' in o) {
              const { number, kept } = await bank.post(message(o.post));
              assert.ok(number > Math.max(0, ...model.map((m) => m.number)));
              model = [...model, { number, text: o.post }].slice(-max);
              assert.equal(kept, model.length);
            } else {
              await bank.delete(o.delete);
              model = model.filter((m) => m.number !== o.delete);
            }
          }
          const { messages, total } = await bank.list(max);
          assert.ok(total <= max);
          assert.deepEqual(
            messages.map((m) => ({ number: m.number, text: m.text })),
            [...model].reverse(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('loses nothing it stored when a writer is killed mid-post, even with two writers', async () => {
    const dir = await freshDir();
    const storeUrl = new URL('./bank-store.js', import.meta.url).href;
    // Each writer posts until killed, printing "number text" once a post has returned.
    const script = `
      const { BankStore } = await import(${JSON.stringify(storeUrl)});
      const bank = new BankStore({ dir: ${JSON.stringify(dir)}, maxMessages: 1000 });
      for (let i = 0; ; i++) {
        const text = process.argv[1] + '-' + i + '-' + 'x'.repeat(i * 37 % 3000);
        const { number } = await bank.post({ time: new Date().toISOString(), channel: 'http', source: 'w', text });
        process.stdout.write(number + ' ' + text + '\\n');
      }`;
    const stored = new Map<number, string>();
    const writers = ['w1', 'w2'].map((name) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, name], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('close', resolve));
      let lines = 0;
      const enough = new Promise<void>((resolve) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const [number = '', text = ''] = line.split(' ');
          assert.equal(stored.has(Number(number)), false, `#${number} given twice`);
          stored.set(Number(number), text);
          // A different point in the post cycle for each writer.
          if (++lines === (name === 'w1' ? 25 : 40)) resolve();
        });
      });
      return { child, exited, enough };
    });
    for (const w of writers) {
      await w.enough;
      w.child.kill('SIGKILL');
      await w.exited;
    }
    const bank = new BankStore({ dir, maxMessages: 1000 });
    for (const [number, text] of stored) assert.equal((await bank.read(number))?.text, text);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
      JSON.parse(await readFile(join(dir, name), 'utf8'));
    }
    const next = await bank.post(message('after the crash'));
    assert.equal((await bank.read(next.number))?.text, 'after the crash');
  });
});
