import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/types.js';
import { PipelineError } from '../errors.js';
import { aesSearchApp } from './aes-search.js';
import { appContext } from '../harness.js';
import { APPS } from './registry.js';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'sb-a-'));
const PASSPHRASE = 'correct-horse-battery';
const NOTES = 'Bank PIN: 4321\nlocker code 1234\nWiFi: hunter2\nthe Locker is in room 5\n';
await writeFile(join(dir, 'notes.txt'), NOTES);
await writeFile(join(dir, 'binary.bin'), Buffer.from([0, 1, 2, 3, 255, 254, 10]));
await writeFile(join(dir, 'plain.txt'), 'not encrypted at all, and long enough to be one\n');

/** `openssl enc -aes256 ARGS` of `input` into `output` in `dir`, with the passphrase. */
async function encrypt(input: string, output: string, args: readonly string[]): Promise<void> {
  await run('openssl', [
    'enc',
    '-aes256',
    ...args,
    '-in',
    join(dir, input),
    '-out',
    join(dir, output),
    '-pass',
    `pass:${PASSPHRASE}`,
  ]);
}
await encrypt('notes.txt', 'pbkdf2.enc', ['-pbkdf2']);
await encrypt('notes.txt', 'pbkdf2-iter.enc', ['-pbkdf2', '-iter', '2000', '-md', 'sha512']);
await encrypt('notes.txt', 'legacy.enc', []);
await encrypt('notes.txt', 'legacy-md5.enc', ['-md', 'md5']);
await encrypt('binary.bin', 'binary.enc', ['-pbkdf2']);

// laitos' way: the key and IV of a file, printed by openssl, split between config and command.
const printed = await run('openssl', [
  'enc',
  '-d',
  '-aes256',
  '-md',
  'md5',
  '-P',
  '-in',
  join(dir, 'legacy-md5.enc'),
  '-pass',
  `pass:${PASSPHRASE}`,
]);
const hexKey = /key=([0-9A-F]+)/.exec(printed.stdout)?.[1] ?? '';
const hexIv = /iv\s*=([0-9A-F]+)/.exec(printed.stdout)?.[1] ?? '';
assert.equal(hexKey.length, 64);
const KEY_SUFFIX = hexKey.slice(60);

// laitos' own AESDecrypt test file (reference §13.4): "abc\ndef\nghi\n", its key suffix 44a4.
await writeFile(
  join(dir, 'laitos.enc'),
  Buffer.from('53616c7465645f5fb332df2d2f95a86bb389598cac5427d1b33ca156d65a38e5', 'hex'),
);
await writeFile(join(dir, 'short.enc'), Buffer.from('Salted__12345678abc'));

const config = await configWith({
  notes: { path: 'pbkdf2.enc', kdf: 'pbkdf2' },
  'notes-sha512': { path: 'pbkdf2-iter.enc', kdf: 'pbkdf2', digest: 'sha512', iterations: 2000 },
  legacy: { path: 'legacy.enc', kdf: 'bytes-to-key' },
  'legacy-md5': { path: 'legacy-md5.enc', kdf: 'bytes-to-key', digest: 'md5' },
  split: { path: 'legacy-md5.enc', kdf: 'none', iv: hexIv, keyPrefix: hexKey.slice(0, 60) },
  beta: {
    path: 'laitos.enc',
    kdf: 'none',
    iv: 'A28DB439E2D112AB6E9FC2B09A73B605',
    keyPrefix: 'F2A515CDDC967C5B0C73FD09264BF67F08A6E1BD273A598F013F6691AAF1',
  },
  binary: { path: 'binary.enc', kdf: 'pbkdf2' },
  plain: { path: 'plain.txt', kdf: 'pbkdf2' },
  short: { path: 'short.enc', kdf: 'pbkdf2' },
  gone: { path: 'gone.enc', kdf: 'pbkdf2' },
});

/** A config loaded from a file in `dir`, with these `apps.aesSearch.files`. */
async function configWith(files: Record<string, unknown>): Promise<Config> {
  const path = join(dir, `config-${Object.keys(files).length}.json`);
  await writeFile(path, JSON.stringify({ apps: { aesSearch: { files } } }));
  const loaded = await loadConfigFile(path, { env: {}, apps: APPS });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.config;
}

const search = (input: string, signal?: AbortSignal) =>
  aesSearchApp.execute(input, appContext(config, signal));
const fails = (input: string, message: string) =>
  assert.rejects(search(input), { name: 'AppError', message });

const LOCKER = '2 matches\nlocker code 1234\nthe Locker is in room 5';

describe('the AES-encrypted text search app (.a)', () => {
  it('is sensitive, and enabled when a file is configured', async () => {
    assert.equal(aesSearchApp.sensitive, true);
    assert.equal(aesSearchApp.isConfigured(config), true);
    assert.equal(aesSearchApp.isConfigured(await configWith({})), false);
  });

  it('finds lines in a file of openssl enc -aes256 -pbkdf2, with the passphrase', async () => {
    assert.equal(await search(`notes ${PASSPHRASE} LOCKER`), LOCKER);
    assert.equal(await search(`notes ${PASSPHRASE} wifi`), '1 match\nWiFi: hunter2');
    assert.equal(await search(`notes ${PASSPHRASE} nothing like it`), '0 matches');
  });

  it('takes the digest and iteration count of -md and -iter', async () => {
    assert.equal(await search(`notes-sha512 ${PASSPHRASE} locker`), LOCKER);
  });

  it('reads the legacy key derivation, openssl’s sha256 default and -md md5', async () => {
    assert.equal(await search(`legacy ${PASSPHRASE} locker`), LOCKER);
    assert.equal(await search(`legacy-md5 ${PASSPHRASE} locker`), LOCKER);
  });

  it('takes the rest of a printed key in hex, as laitos does', async () => {
    assert.equal(await search(`split ${KEY_SUFFIX} locker`), LOCKER);
    assert.equal(await search(`split ${KEY_SUFFIX.toLowerCase()} locker`), LOCKER);
  });

  it('reads laitos’ own test file, its padding removed', async () => {
    assert.equal(await search('beta 44a4 a'), '1 match\nabc');
    assert.equal(await search('beta 44a4 .'), '0 matches');
    assert.equal(await search('beta 44a4 HI'), '1 match\nghi');
  });

  it('says a wrong key is wrong, and shows nothing of what it decrypted', async () => {
    await fails(`notes wrong-passphrase locker`, 'wrong key for "notes"');
    await fails(`legacy-md5 ${PASSPHRASE}x locker`, 'wrong key for "legacy-md5"');
    await fails('beta 0000 a', 'wrong key for "beta"');
    await fails('split 0000 a', 'wrong key for "split"');
  });

  it('says what is wrong with a hex key, without the key', async () => {
    await fails('beta 44a4zz a', 'wrong key for "beta" (KEY must be hex digits)');
    await fails('beta 44a4a a', 'wrong key for "beta" (KEY must be hex digits)');
    await fails(
      'beta 44a4aa a',
      'wrong key for "beta" (keyPrefix and KEY must make 16, 24 or 32 bytes)',
    );
  });

  it('refuses a plaintext that is not UTF-8 text', async () => {
    await fails(`binary ${PASSPHRASE} x`, 'wrong key for "binary", or it is not UTF-8 text');
  });

  it('says a file was not made by openssl enc', async () => {
    await fails(
      `plain ${PASSPHRASE} x`,
      '"plain" was not made by openssl enc (no Salted__ header)',
    );
    await fails(
      `short ${PASSPHRASE} x`,
      '"short" was not made by openssl enc (its length is wrong)',
    );
  });

  it('says a file cannot be read in one line naming the shortcut', async () => {
    await fails(`gone ${PASSPHRASE} x`, 'cannot read "gone": no such file');
  });

  it('answers the usage line and names the shortcuts', async () => {
    await fails(`notes ${PASSPHRASE}`, 'usage: .a SHORTCUT KEY TEXT');
    await fails('notes', 'usage: .a SHORTCUT KEY TEXT');
    await fails(
      `nope ${PASSPHRASE} x`,
      'no file "nope"; shortcuts: notes notes-sha512 legacy legacy-md5 split beta binary plain short gone',
    );
  });

  it('stops at the signal with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new PipelineError('APP_TIMEOUT', 30));
    await assert.rejects(search(`notes ${PASSPHRASE} locker`, controller.signal), {
      name: 'PipelineError',
      message: 'timed out after 30s',
    });
  });

  it('self-tests that every file is readable and made by openssl enc', async () => {
    await aesSearchApp.selfTest?.(
      await configWith({ notes: { path: 'pbkdf2.enc', kdf: 'pbkdf2' } }),
    );
    await assert.rejects(aesSearchApp.selfTest?.(config) ?? Promise.resolve(), {
      message:
        'apps.aesSearch.files.plain: was not made by openssl enc (no Salted__ header); ' +
        'apps.aesSearch.files.short: was not made by openssl enc (its length is wrong); ' +
        `apps.aesSearch.files.gone: cannot read ${join(dir, 'gone.enc')} (no such file)`,
    });
  });

  it('needs iv and keyPrefix when the command gives the key, and refuses keys a kdf does not use', async () => {
    const path = join(dir, 'bad-config.json');
    const files = {
      old: { path: 'x.enc', kdf: 'none', iv: 'nothex', iterations: 5 },
      typo: { path: 'x.enc', kdf: 'pbkdf3' },
      mixed: { path: 'x.enc', kdf: 'pbkdf2', keyPrefix: 'abcd' },
      legacy: { path: 'x.enc', kdf: 'bytes-to-key', digest: 'md5', iterations: 5 },
    };
    await writeFile(path, JSON.stringify({ apps: { aesSearch: { files } } }));
    const loaded = await loadConfigFile(path, { env: {}, apps: APPS });
    assert.deepEqual(loaded.ok ? [] : loaded.errors.sort(), [
      'apps.aesSearch.files.legacy.iterations: must be left out with kdf "bytes-to-key"',
      'apps.aesSearch.files.mixed.keyPrefix: must be left out unless kdf is "none"',
      'apps.aesSearch.files.old.iterations: must be left out with kdf "none"',
      'apps.aesSearch.files.old.iv: must be 32 hex digits (the iv that openssl enc -P prints)',
      'apps.aesSearch.files.old.keyPrefix: is required',
      'apps.aesSearch.files.typo.kdf: must be one of "pbkdf2", "bytes-to-key", "none"',
    ]);
  });
});
