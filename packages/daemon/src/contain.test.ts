/**
 * `apps.shell.contain` from outside (DESIGN §11): `check` and the start-up line say which
 * containment is in force and why, and "pidns" asked where no namespace can be made refuses to
 * start. A system without PID namespaces is the CLI run in a user namespace whose
 * `user.max_pid_namespaces` is 0 (the kernel then refuses every new one, as a container may).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI, configDir, RunningDaemon, writeConfig, type CliRun } from './harness.js';

const PASSWORD = 'contain-test-password';
const NO_NAMESPACE = 'unshare: unshare failed: No space left on device';

/** The CLI with `args`, as a command line that runs it where no PID namespace can be made. */
function withoutPidNamespaces(args: readonly string[]): string[] {
  return [
    'unshare',
    '--user',
    '--map-root-user',
    '--',
    '/bin/sh',
    '-c',
    'echo 0 > /proc/sys/user/max_pid_namespaces && exec "$0" "$@"',
    process.execPath,
    CLI,
    ...args,
  ];
}

/** Runs a command line to its end. */
function runCommand(argv: readonly string[]): Promise<CliRun> {
  const [file = '', ...args] = argv;
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether this machine can make the user namespace the tests without namespaces need. */
function canDropNamespaces(): boolean {
  try {
    execFileSync('unshare', ['--user', '--map-root-user', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const configObject = (contain?: 'pidns' | 'group') => ({
  filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
  apps: { shell: { unrestricted: true, ...(contain === undefined ? {} : { contain }) } },
  http: { listen: '127.0.0.1:0' },
});
const config = (contain?: 'pidns' | 'group') => configDir(configObject(contain));

describe('apps.shell.contain', { skip: !canDropNamespaces() && 'no user namespaces here' }, () => {
  it('check says a PID namespace is in force by default', async () => {
    const r = await runCommand([process.execPath, CLI, 'check', '-c', config()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n {2}contain: pidns\n/);
  });

  it('check says group and why where no namespace can be made', async () => {
    const r = await runCommand(withoutPidNamespaces(['check', '-c', config()]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\n {2}contain: group \\(${NO_NAMESPACE}\\)\\n`));
  });

  it('check reports "pidns" that cannot work here as a problem of the key', async () => {
    const r = await runCommand(withoutPidNamespaces(['check', '-c', config('pidns')]));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `\\n {2}apps\\.shell\\.contain: "pidns" does not work here \\(${NO_NAMESPACE}\\); ` +
          'set "group" or leave it out\\n$',
      ),
    );
  });

  it('the start-up line says which containment is in force, and why not pidns', async () => {
    const lines = [];
    for (const [contain, why] of [
      [undefined, undefined],
      ['group', 'apps.shell.contain is "group"'],
    ] as const) {
      const daemon = new RunningDaemon(config(contain));
      const line = await daemon.waitFor((l) => String(l.msg).startsWith('programs run with'));
      lines.push([line.msg, line.contain, line.containWhy]);
      daemon.child.kill('SIGTERM');
      await daemon.exit();
      assert.equal(line.containWhy, why);
    }
    assert.deepEqual(
      lines.map(([msg]) => String(msg).replace(/ with \S+,/, ' with …,')),
      ['programs run with …, contained by pidns', 'programs run with …, contained by group'],
    );
  });

  it('the daemon runs contained by group where no namespace can be made', async () => {
    const path = config();
    const daemon = new RunningDaemon(path, { command: withoutPidNamespaces(['run', '-c', path]) });
    const line = await daemon.waitFor((l) => String(l.msg).startsWith('programs run with'));
    daemon.child.kill('SIGTERM');
    await daemon.exit();
    assert.deepEqual([line.contain, line.containWhy], ['group', NO_NAMESPACE]);
  });

  it('a reload to "pidns" where it cannot work is not applied, and says why', async () => {
    const path = config();
    const daemon = new RunningDaemon(path, { command: withoutPidNamespaces(['run', '-c', path]) });
    try {
      const url = await daemon.url();
      const from = daemon.lines.length;
      writeConfig(path, configObject('pidns'));
      const line = await daemon.waitFor(
        (l) => l.msg === 'config reload failed; the running config stays',
        from,
      );
      assert.match(
        JSON.stringify(line.problems),
        /apps\.shell\.contain: \\"pidns\\" does not work here/,
      );
      const res = await fetch(`${url}/api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: `${PASSWORD} .s echo -n still` }),
      });
      assert.equal(((await res.json()) as { output: string }).output, 'still');
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });

  it('the daemon refuses to start with "pidns" where it cannot work', async () => {
    const path = config('pidns');
    const daemon = new RunningDaemon(path, { command: withoutPidNamespaces(['run', '-c', path]) });
    const code = await daemon.exit();
    assert.notEqual(code, 0);
    const said = JSON.stringify(daemon.lines) + daemon.stderr;
    assert.match(said, /apps\.shell\.contain: \\?"pidns\\?" does not work here/);
  });
});
