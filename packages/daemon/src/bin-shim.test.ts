/**
 * `npx switchboard` right after `npm ci`: npm links a package's bin only if the file exists at
 * install time, so the bin is a committed file, not a build output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './harness.js';

const DAEMON = join(REPO_ROOT, 'packages/daemon');
const pkg = JSON.parse(readFileSync(join(DAEMON, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const run = promisify(execFile);

describe('the switchboard bin', () => {
  it('is a file that exists before any build, and is executable', () => {
    const target = pkg.bin.switchboard ?? '';
    assert.doesNotMatch(target, /(^|\/)dist\//);
    assert.ok((statSync(join(DAEMON, target)).mode & 0o111) !== 0, `${target} is not executable`);
  });

  it('runs with npx inside the repository', async () => {
    // --no: never ask the registry for a package of that name. (npx takes --version for
    // itself, so the CLI's version is asked after a --.)
    const r = await run('npx', ['--no', 'switchboard', '--', '--version'], { cwd: REPO_ROOT });
    assert.equal(r.stdout, `switchboard ${pkg.version}\n`);
  });

  it('says how to build when the build is missing and it cannot build itself', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sb-bin-')), 'bin');
    mkdirSync(dir);
    copyFileSync(join(DAEMON, pkg.bin.switchboard ?? ''), join(dir, 'switchboard.js'));
    const r = spawnSync(process.execPath, [join(dir, 'switchboard.js'), '--version'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^switchboard: dist\/cli\.js is missing; build it with "npm run build"/);
  });
});
