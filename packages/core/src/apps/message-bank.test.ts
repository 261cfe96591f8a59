import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PipelineError } from '../errors.js';
import { testConfig, testRig } from '../harness.js';
import { messageBankApp } from './message-bank.js';
import { keepIncoming } from './message-bank/keep-incoming.js';

const PASSWORD = 'message-bank-password';
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/.source;

/** A pipeline with the bank on, in a fresh directory, with these settings. */
async function bankRig(settings: Record<string, unknown> = {}) {
  const directory = join(await mkdtemp(join(tmpdir(), 'sb-bank-app-')), 'bank');
  const rig = testRig({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { messageBank: { enabled: true, directory, ...settings } },
  });
  const b = async (input: string, source = '192.0.2.1', channel: 'http' | 'smtp' = 'http') =>
    (await rig.run(`${PASSWORD} .b ${input}`, { source, channel })).combinedOutput;
  return { rig, b, directory };
}

describe('.b message bank', () => {
  it('is off unless enabled', () => {
    assert.equal(messageBankApp.isConfigured(testConfig({})), false);
    const on = testConfig({ apps: { messageBank: { enabled: true } } });
    assert.equal(messageBankApp.isConfigured(on), true);
  });

  it('posts, then lists newest first with time, channel and source', async () => {
    const { b } = await bankRig();
    assert.equal(await b('post hello from the web'), 'kept as #1 (1 of at most 100)');
    assert.equal(
      await b('POST call me', 'bob@example.com', 'smtp'),
      'kept as #2 (2 of at most 100)',
    );
    const listed = await b('list');
    assert.match(
      listed,
      new RegExp(
        `^#2 ${TIME} smtp bob@example.com: call me\n#1 ${TIME} http 192.0.2.1: hello from the web$`,
      ),
    );
    assert.equal(await b(''), listed, '.b alone lists');
  });

  it('lists the newest N, and says how many older ones there are', async () => {
    const { b } = await bankRig();
    for (const text of ['a', 'b', 'c']) await b(`post ${text}`);
    assert.match(
      await b('list 2'),
      new RegExp(`^#3 ${TIME} .*: c\n#2 .*: b\n\\.\\.\\. and 1 older$`),
    );
    assert.equal(await b('list 0'), 'usage: .b list [N] (N from 1 to 100)');
    assert.equal(await b('list many'), 'usage: .b list [N] (N from 1 to 100)');
  });

  it('shortens long messages in the list, and reads one whole', async () => {
    const { b } = await bankRig();
    const long = `${'word '.repeat(40)}end`;
    await b(`post ${long}`);
    const line = await b('list');
    assert.ok(line.endsWith('...'), line);
    assert.ok(line.length < 140, line);
    assert.match(await b('read 1'), new RegExp(`^#1 ${TIME} http 192.0.2.1: ${long}$`));
    assert.equal(await b('read #1'), await b('read 1'));
  });

  it('deletes one message or all, and says when there is none', async () => {
    const { b } = await bankRig();
    for (const text of ['a', 'b', 'c']) await b(`post ${text}`);
    assert.equal(await b('delete 2'), 'deleted #2');
    assert.equal(await b('delete 2'), 'no message #2');
    assert.equal(await b('read 2'), 'no message #2');
    assert.equal(await b('clear'), 'deleted 2 messages');
    assert.equal(await b('list'), 'no messages');
  });

  it('keeps at most maxMessages, dropping the oldest', async () => {
    const { b } = await bankRig({ maxMessages: 2 });
    for (const text of ['a', 'b', 'c']) await b(`post ${text}`);
    assert.equal(await b('post d'), 'kept as #4 (2 of at most 2)');
    assert.match(await b('list'), /^#4 .*: d\n#3 .*: c$/);
  });

  it('refuses a message over maxMessageBytes whole, rather than cutting it', async () => {
    const { b } = await bankRig({ maxMessageBytes: 10 });
    assert.equal(await b('post ééééé'), 'kept as #1 (1 of at most 100)');
    assert.equal(await b('post éééééé'), 'message is too long (12 bytes, max 10)');
    assert.match(await b('list'), /: ééééé$/);
  });

  it('answers anything else with its usage', async () => {
    const { b } = await bankRig();
    const usage = 'usage: .b post TEXT | list [N] | read N | delete N | clear';
    assert.equal(await b('hello there'), usage);
    assert.equal(await b('post'), 'usage: .b post TEXT');
    assert.equal(await b('read'), 'usage: .b read N');
    assert.equal(await b('delete x'), 'usage: .b delete N');
  });

  it('gives up at its timeout with the timeout, not as a file system failure', async () => {
    const { rig, b } = await bankRig();
    await b('post a');
    const timeout = new PipelineError('APP_TIMEOUT', 5);
    const ctx = {
      signal: AbortSignal.abort(timeout),
      timeoutSec: 5,
      command: { channel: 'http', source: 'x', content: '', timeoutSec: 5 },
      config: rig.pipeline.config,
      services: rig.services,
    } as const;
    await assert.rejects(messageBankApp.execute('list', ctx), timeout);
  });

  it('self-tests that its directory is writable', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sb-bank-app-')), 'file');
    await writeFile(file, '');
    const blocked = testConfig({ apps: { messageBank: { enabled: true, directory: file } } });
    await assert.rejects(
      messageBankApp.selfTest?.(blocked) ?? Promise.resolve(),
      /^Error: message bank: cannot write directory .*\/file \(EEXIST\)$/,
    );
    const { rig } = await bankRig();
    await messageBankApp.selfTest?.(rig.pipeline.config);
  });
});

describe('keepIncoming', () => {
  const logger = { info: () => undefined, warn: () => undefined };
  const sms = (text: string) =>
    ({ kind: 'sms', channel: 'twilio', source: '+1555', text }) as const;

  it('keeps a message of a kind the owner named, cut at a character to maxMessageBytes', async () => {
    const { rig, b } = await bankRig({ maxMessageBytes: 5, keepIncoming: ['sms'] });
    assert.equal(await keepIncoming(rig.pipeline.config, logger, sms('ééé')), 1);
    assert.match(await b('read 1'), /twilio \+1555: éé$/);
  });

  it('keeps nothing when the kind is not named, the bank is off or the text is blank', async () => {
    const { rig } = await bankRig();
    assert.equal(await keepIncoming(rig.pipeline.config, logger, sms('hi')), undefined);
    const off = testConfig({ apps: { messageBank: { keepIncoming: ['sms'] } } });
    assert.equal(await keepIncoming(off, logger, sms('hi')), undefined);
    const on = await bankRig({ keepIncoming: ['sms'] });
    assert.equal(await keepIncoming(on.rig.pipeline.config, logger, sms('  ')), undefined);
  });

  it('logs, and does not throw, when the bank cannot be written', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sb-bank-app-')), 'file');
    await writeFile(file, '');
    const warnings: unknown[] = [];
    const config = testConfig({
      apps: { messageBank: { enabled: true, directory: file, keepIncoming: ['sms'] } },
    });
    const logs = { info: () => undefined, warn: (o: unknown) => warnings.push(o) };
    assert.equal(await keepIncoming(config, logs, sms('hi')), undefined);
    assert.equal(warnings.length, 1);
  });
});
