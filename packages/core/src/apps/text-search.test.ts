import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/types.js';
import { PipelineError } from '../errors.js';
import { appContext } from '../harness.js';
import { APPS } from './registry.js';
import { textSearchApp } from './text-search.js';
import { SEARCH_LIMITS } from './text-search/search-command.js';

const dir = await mkdtemp(join(tmpdir(), 'sb-g-'));
// laitos' TextSearch test file (reference §13.4), no trailing newline.
await writeFile(
  join(dir, 'manual.txt'),
  [
    'where The volume button is',
    'and Then How the Hinge works',
    'and How to get help With the New surface',
    'Where is the USB type C port',
  ].join('\n'),
);
await writeFile(join(dir, 'many.txt'), 'a match\n'.repeat(SEARCH_LIMITS.maxMatches + 5));
await mkdir(join(dir, 'folder'));
// 1 GiB of NUL bytes, one line without a line end (sparse: it takes no disk).
await writeFile(join(dir, 'huge.bin'), '');
await truncate(join(dir, 'huge.bin'), 2 ** 30);

/** A config loaded from a file in `dir`, with these `apps.textSearch.files` (relative paths). */
async function configWith(files: Record<string, string>): Promise<Config> {
  const path = join(dir, `config-${Object.keys(files).join('-')}.json`);
  await writeFile(path, JSON.stringify({ apps: { textSearch: { files } } }));
  const loaded = await loadConfigFile(path, { env: {}, apps: APPS });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.config;
}

const config = await configWith({
  'phone-manual': 'manual.txt',
  many: 'many.txt',
  gone: 'does-not-exist.txt',
  folder: 'folder',
  huge: 'huge.bin',
});

const run = (input: string, signal?: AbortSignal) =>
  textSearchApp.execute(input, appContext(config, signal));
const fails = (input: string, message: string) =>
  assert.rejects(run(input), { name: 'AppError', message });

describe('the text search app (.g)', () => {
  it('is enabled when a file is configured', async () => {
    assert.equal(textSearchApp.isConfigured(config), true);
    assert.equal(textSearchApp.isConfigured(await configWith({})), false);
  });

  it('resolves relative paths from the config file’s directory', () => {
    assert.equal(config.apps.textSearch.files['phone-manual'], join(dir, 'manual.txt'));
  });

  it('gives the count and the matching lines, one per line, for a hyphenated shortcut', async () => {
    assert.equal(
      await run('phone-manual where'),
      '2 matches\nwhere The volume button is\nWhere is the USB type C port',
    );
    assert.equal(await run('phone-manual then how the'), '1 match\nand Then How the Hinge works');
    assert.equal(await run('phone-manual  USB   type'), '0 matches');
  });

  it('searches for punctuation as typed', async () => {
    assert.equal(await run('phone-manual .'), '0 matches');
    assert.equal(await run('phone-manual e U'), '1 match\nWhere is the USB type C port');
  });

  it('shows at most maxMatches lines and says there are more', async () => {
    const output = await run('many MATCH');
    assert.equal(typeof output, 'string');
    const lines = (output as string).split('\n');
    const { maxMatches } = SEARCH_LIMITS;
    assert.equal(lines[0], `more than ${maxMatches} matches, the first ${maxMatches}:`);
    assert.equal(lines.length, maxMatches + 1);
  });

  it('answers a command without text with the usage line', async () => {
    await fails('phone-manual', 'usage: .g SHORTCUT TEXT');
    await fails('', 'usage: .g SHORTCUT TEXT');
  });

  it('names the shortcuts when given an unknown one', async () => {
    await fails('phone where', 'no file "phone"; shortcuts: phone-manual many gone folder huge');
    await fails(
      'constructor x',
      'no file "constructor"; shortcuts: phone-manual many gone folder huge',
    );
  });

  it('says a file cannot be read in one line naming the shortcut, not the path', async () => {
    await fails('gone x', 'cannot read "gone": no such file');
    await fails('folder x', 'cannot read "folder": is a directory');
  });

  it('stops at the signal with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new PipelineError('APP_TIMEOUT', 30));
    await assert.rejects(run('phone-manual where', controller.signal), {
      name: 'PipelineError',
      message: 'timed out after 30s',
    });
  });

  it('stops reading a huge file at the signal', async () => {
    const controller = new AbortController();
    const reading = run('huge needle', controller.signal);
    setTimeout(() => {
      controller.abort(new PipelineError('APP_TIMEOUT', 1));
    }, 50);
    const started = Date.now();
    await assert.rejects(reading, { message: 'timed out after 1s' });
    assert.ok(Date.now() - started < 5000, 'it read on after the signal');
  });

  it('self-tests that every file is readable', async () => {
    await textSearchApp.selfTest?.(await configWith({ manual: 'manual.txt' }));
    await assert.rejects(textSearchApp.selfTest?.(config) ?? Promise.resolve(), {
      message: `apps.textSearch.files.gone: cannot read ${join(dir, 'does-not-exist.txt')} (no such file); apps.textSearch.files.folder: ${join(dir, 'folder')} is not a file`,
    });
    if (process.getuid?.() === 0) return; // root reads anything
    await writeFile(join(dir, 'secret.txt'), 'x');
    await chmod(join(dir, 'secret.txt'), 0o000);
    await assert.rejects(
      textSearchApp.selfTest?.(await configWith({ secret: 'secret.txt' })) ?? Promise.resolve(),
      { message: /apps\.textSearch\.files\.secret: cannot read .* \(permission denied\)/ },
    );
  });
});
