/**
 * scripts/quick-build.mjs, the fast build of `npm start` and a fresh clone's first `npx
 * switchboard`, writes the same JavaScript as the type-checked `tsc -b` that `npm test` ran.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './harness.js';

/** tsc adds a source map comment; the quick build writes no maps. */
const withoutMapComment = (text: string): string =>
  text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');

describe('npm start’s quick build', () => {
  it('compiles every source but the tests to the JavaScript tsc -b writes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sb-quick-'));
    try {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        ['scripts/quick-build.mjs', out],
        { cwd: REPO_ROOT },
      );
      assert.match(stderr, /^switchboard: compiling the TypeScript sources \(first start only\)/);
      const files = readdirSync(join(out, 'packages'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.js'));
      assert.ok(files.includes(join('daemon', 'dist', 'cli.js')), files.join(' '));
      assert.deepEqual(
        files.filter((f) => f.endsWith('.test.js')),
        [],
      );
      const differ = files.filter((f) => {
        const quick = readFileSync(join(out, 'packages', f), 'utf8');
        const full = readFileSync(join(REPO_ROOT, 'packages', f), 'utf8');
        return quick !== withoutMapComment(full);
      });
      assert.deepEqual(
        differ,
        [],
        `differ from tsc's output: ${differ.map((f) => relative('.', f)).join(' ')}`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
