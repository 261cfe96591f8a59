/**
 * deploy/switchboard.service, the one unit the docs refer to: systemd's own checker passes it,
 * its sandboxing is rated, and its ExecStart and ExecReload lines run the daemon the way
 * systemd would (as an unprivileged user, the state folder systemd makes, the config folder
 * read-only), with /etc and /var/lib replaced by folders of the test's own.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deadPort } from '@switchboard/core/testing';
import { REPO_ROOT, RunningDaemon, runCli } from '../harness.js';
import { expandSpecifiers, parseUnit, setting, splitCommand } from './unit-file.js';

const UNIT_PATH = join(REPO_ROOT, 'deploy/switchboard.service');
const unit = parseUnit(readFileSync(UNIT_PATH, 'utf8'));
const service = (key: string): string => setting(unit, 'Service', key) ?? '';
/** An unprivileged uid for User=switchboard (nobody). */
const SERVICE_UID = 65534;
/** Where the docs install the code. */
const INSTALL_DIR = '/opt/switchboard';

const run = promisify(execFile);

describe('deploy/switchboard.service', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-unit-'));
  const roots = { etc: join(root, 'etc'), state: join(root, 'var/lib') };
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('passes systemd-analyze verify without a warning', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', UNIT_PATH]);
    assert.equal(stdout + stderr, '');
  });

  it('is sandboxed: systemd-analyze security rates its exposure 3.0 or lower', () => {
    // Exits non-zero when the overall exposure is above the threshold (ten times the rating).
    const r = spawnSync(
      'systemd-analyze',
      ['security', '--offline=yes', '--threshold=30', UNIT_PATH],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('lets systemd create and own every folder it writes, and reloads on SIGHUP', () => {
    assert.equal(service('StateDirectory'), 'switchboard');
    assert.equal(service('ConfigurationDirectory'), 'switchboard');
    assert.equal(service('ProtectSystem'), 'strict');
    // A writable path systemd does not create fails the start with 226/NAMESPACE.
    assert.equal(service('ReadWritePaths'), '');
    assert.match(service('ExecReload'), /kill -HUP \$MAINPID$/);
  });

  it('runs its ExecStart line: state in the StateDirectory, reload by ExecReload, stop by SIGTERM', async () => {
    const configDir = join(roots.etc, 'switchboard');
    const stateDir = join(roots.state, 'switchboard');
    mkdirSync(configDir, { recursive: true, mode: 0o755 });
    chmodSync(root, 0o755);
    // What systemd does for StateDirectory=: create it, owned by the service's user.
    mkdirSync(stateDir, { recursive: true });
    chmodSync(roots.state, 0o755);
    chownSync(stateDir, SERVICE_UID, SERVICE_UID);
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'config.example.json'), 'utf8')) as {
      http: object;
      smtp: object;
    };
    config.http = { ...config.http, listen: `127.0.0.1:${await deadPort()}` };
    config.smtp = { ...config.smtp, listen: `127.0.0.1:${await deadPort()}` };
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ ...config, $schema: undefined }),
      {
        mode: 0o644,
      },
    );

    const expand = (line: string): string[] =>
      splitCommand(expandSpecifiers(line, roots)).map((word) =>
        word.startsWith(`${INSTALL_DIR}/`) ? REPO_ROOT + word.slice(INSTALL_DIR.length) : word,
      );
    const [file = '', ...args] = expand(service('ExecStart'));
    const env: Record<string, string> = {
      STATE_DIRECTORY: stateDir,
      CONFIGURATION_DIRECTORY: configDir,
    };
    for (const pair of splitCommand(service('Environment'))) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const daemon = new RunningDaemon(join(configDir, 'config.json'), {
      // The docs install node as /usr/bin/node (Debian's nodejs); elsewhere, this node.
      command: [existsSync(file) ? file : process.execPath, ...args],
      env,
      cwd: expandSpecifiers(service('WorkingDirectory'), roots),
      uid: SERVICE_UID,
    });
    try {
      await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
      assert.equal(statSync(join(stateDir, 'outbox')).uid, SERVICE_UID);
      assert.deepEqual(readdirSync(configDir), ['config.json']);
      // docs/control.md: ctl finds the socket with the unit's STATE_DIRECTORY named.
      assert.equal(statSync(join(stateDir, 'control.sock')).uid, SERVICE_UID);
      const ctl = await runCli(['ctl', '-c', join(configDir, 'config.json'), 'status'], {
        env: { STATE_DIRECTORY: stateDir },
      });
      assert.equal(ctl.code, 0, ctl.stderr);

      const mark = daemon.lines.length;
      const pid = String(daemon.child.pid);
      const [kill = '', ...killArgs] = splitCommand(service('ExecReload').replace('$MAINPID', pid));
      await run(kill, killArgs);
      await daemon.waitFor((l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP', mark);

      daemon.child.kill('SIGTERM');
      assert.equal(await daemon.exit(), 0, daemon.stderr);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
    }
  });
});
