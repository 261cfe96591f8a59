/**
 * The CLI's rough edges, driven as a user meets them: the built CLI in a child process, the
 * README beside it, and git for what the repository ignores.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deadPort } from '@switchboard/core/testing';
import { EXAMPLE, REPO_ROOT, runCli } from './harness.js';

const PASSWORD = 'usage-test-password';

function configFile(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-usage-')), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** The verbs listed under "Commands:" in a usage text. */
function helpVerbs(usage: string): string[] {
  const commands = usage.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return commands.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '');
}

describe('switchboard with no command, --help and --version', () => {
  it('prints the version with --version', async () => {
    const pkg = JSON.parse(
      readFileSync(join(REPO_ROOT, 'packages/daemon/package.json'), 'utf8'),
    ) as {
      version: string;
    };
    assert.deepEqual(await runCli(['--version']), {
      code: 0,
      stdout: `switchboard ${pkg.version}\n`,
      stderr: '',
    });
  });

  it('prints the usage on stderr and exits 2 when given no command', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: switchboard <command>/);
  });

  it('lists health among the commands, and the README table lists every one', async () => {
    const usage = (await runCli(['--help'])).stdout;
    const verbs = helpVerbs(usage);
    assert.ok(verbs.includes('health'), usage);
    assert.match(usage, /--version/);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `switchboard ([^\s`]+)/gm)].map((m) => m[1]);
    assert.deepEqual(rows.sort(), [...verbs, '--version'].sort());
  });
});

describe('the repository', () => {
  it('ignores config.json, which holds the password', async () => {
    // Exits 0 when the path is ignored, 1 when it is not.
    await promisify(execFile)('git', ['check-ignore', '-q', 'config.json'], { cwd: REPO_ROOT });
  });
});

describe('switchboard check on a config that can run nothing', () => {
  it('warns when no channel is enabled', async () => {
    const r = await runCli([
      'check',
      '-c',
      configFile({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } }),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: no channel is enabled/m);
  });

  it('warns about a channel with no password and no shortcut', async () => {
    const r = await runCli(['check', '-c', configFile({ http: { listen: '127.0.0.1:8080' } })]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: http: no password and no shortcut/m);
  });

  it('does not warn when a shortcut is all there is', async () => {
    const file = configFile({
      filters: { pinAndShortcuts: { shortcuts: { 'say hi': '.s echo hi' } } },
      http: { listen: '127.0.0.1:8080' },
    });
    assert.deepEqual((await runCli(['check', '-c', file])).stderr, '');
  });

  it('does not warn about the example config', async () => {
    assert.equal((await runCli(['check', '-c', EXAMPLE])).stderr, '');
  });
});

describe('switchboard exec and totp output', () => {
  it('writes readable lines on stderr, not JSON log lines', async () => {
    const file = configFile({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      mail: { smtp: { host: '127.0.0.1', port: await deadPort() }, from: 'sb@example.com' },
    });
    const r = await runCli(['exec', '-c', file, '--', `${PASSWORD} .m friend@example.com "s" b`]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /^\{/m);
    assert.match(
      r.stderr,
      /^switchboard: warning: mail delivery failed; will retry.*ECONNREFUSED/m,
    );
  });

  it('draws QR codes without terminal colour codes into a pipe', async () => {
    const file = configFile({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    const r = await runCli(['totp', '-c', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /[▀▄█]/);
    assert.ok(!r.stdout.includes('\u001b'), 'an escape sequence in the output');
  });
});
