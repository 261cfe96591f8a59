import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathExists, spawnBackends, waitFor } from '../testing.js';
import { DEFAULT_MAX_OUTPUT_BYTES, findInterpreter, runProgram } from './run-program.js';
import type { RunProgramOptions } from './run-program.js';
import type { SpawnBackend } from './spawn-backend.js';
import type { Containment } from './containment.js';
import { ProcessRunner } from './process-runner.js';

const shell = (await findInterpreter()) ?? '/bin/sh';

/** Whether a live (not zombie) process runs exactly `argv`. */
function isRunning(argv: readonly string[]): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie && cmdline === `${argv.join('\0')}\0`) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

describe('findInterpreter', () => {
  it('finds an executable bash or sh in a standard directory', async () => {
    const found = await findInterpreter();
    assert.ok(found !== undefined);
    assert.match(found, /^\/(usr\/(local\/)?)?bin\/(bash|sh)$/);
    assert.ok((await stat(found)).isFile());
  });
});

// Both containments where this system has a PID namespace (root, or user namespaces allowed).
const pidns = await new ProcessRunner().containment();
const containments: Containment[] = [
  { mode: 'group', why: 'tested' },
  ...(pidns.mode === 'pidns' ? [pidns] : []),
];
if (pidns.mode === 'group') {
  void it.skip(`runProgram in a PID namespace: not available here (${pidns.why})`);
}
for (const backend of spawnBackends()) {
  for (const containment of containments) describeRunProgram(backend, containment);
}

/** The same suite on every backend and containment: they must behave alike (DESIGN §11). */
function describeRunProgram(backend: SpawnBackend, containment: Containment): void {
  /**
   * Runs a shell statement with a fresh time limit of `timeoutSec`. The default is generous, for
   * a loaded machine: only tests about time limits pass a short one, and their sleeps are long.
   */
  const run = (file: string, args: readonly string[], options: Partial<RunProgramOptions>) =>
    runProgram(backend, file, args, {
      signal: AbortSignal.timeout(30_000),
      timeoutSec: 30,
      env: ENV,
      containment,
      ...options,
    });
  const sh = (script: string, timeoutSec = 30, extra: Partial<RunProgramOptions> = {}) =>
    run(shell, ['-c', script], {
      signal: AbortSignal.timeout(timeoutSec * 1000),
      timeoutSec,
      ...extra,
    });

  describe(`runProgram on ${backend.name}, ${containment.mode}`, { concurrency: true }, () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'run-program-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('returns stderr as output, quotes and all', async () => {
      const result = await sh(`echo -n '"abc"' >&2`);
      assert.deepEqual(result, { output: '"abc"', exitCode: 0, signal: null, timedOut: false });
    });

    it('merges stdout and stderr and reports a non-zero exit code', async () => {
      const result = await sh('echo out; echo err >&2; exit 3');
      assert.equal(result.exitCode, 3);
      assert.match(result.output, /out\n/);
      assert.match(result.output, /err\n/);
    });

    it('gives stdin as /dev/null, so a reader ends at once', async () => {
      const result = await sh('cat; echo done');
      assert.equal(result.output, 'done\n');
    });

    it('passes the arguments without a shell in between', async () => {
      const result = await run('/bin/echo', ['$HOME', '*', 'a b'], {});
      assert.equal(result.output, '$HOME * a b\n');
    });

    it('passes the given environment and nothing else', async () => {
      const result = await run('/usr/bin/env', [], { env: { SWITCHBOARD_TEST: 'hello' } });
      assert.equal(result.output, 'SWITCHBOARD_TEST=hello\n');
    });

    it('restores default signal handling (Node ignores SIGPIPE; a child must not)', async () => {
      const result = await sh('yes | head -c 3');
      assert.deepEqual([result.output, result.exitCode], ['y\ny', 0]);
    });

    it('keeps only the last 1 MiB of output', async () => {
      const result = await sh(`head -c 2000000 /dev/zero | tr '\\0' a; echo END`);
      assert.equal(result.exitCode, 0);
      assert.equal(result.output.length, DEFAULT_MAX_OUTPUT_BYTES);
      assert.ok(result.output.endsWith('aaaEND\n'));
    });

    it('does not start a character with its cut-off continuation bytes', async () => {
      // "é" is two bytes; keeping 5 bytes of "ééé" cuts the first one in half.
      const result = await sh(`printf '\\303\\251\\303\\251\\303\\251'`, 30, { maxOutputBytes: 5 });
      assert.equal(result.output, 'éé');
    });

    it('stops the whole process group at the time limit and returns the partial output', async () => {
      const marker = join(dir, 'marker');
      await writeFile(marker, '');
      const started = Date.now();
      const result = await sh(`echo -n abc; sleep 8; rm ${marker}`, 1);
      assert.ok(Date.now() - started < 6000, 'returned soon after the limit');
      assert.equal(result.output, 'abc');
      assert.equal(result.timedOut, true);
      assert.equal(result.signal, 'SIGTERM');
      const untilPastTheSleep = started + 9000 - Date.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, untilPastTheSleep)));
      await stat(marker); // still there: the sleeping shell never reached rm
    });

    it('stops the program when the abort signal fires before the time limit', async () => {
      const controller = new AbortController();
      const begun = join(dir, 'begun');
      const started = Date.now();
      const running = run(shell, ['-c', `echo -n begun; touch ${begun}; sleep 30`], {
        signal: controller.signal,
      });
      // Abort once the program has printed, so that its output is certain.
      await waitFor('the program to print', () => pathExists(begun));
      controller.abort();
      const result = await running;
      assert.ok(Date.now() - started < 10_000);
      assert.equal(result.output, 'begun');
      assert.equal(result.timedOut, true);
    });

    it('SIGKILLs a program that ignores SIGTERM once the grace period is over', async () => {
      const started = Date.now();
      const result = await sh('trap "" TERM; echo -n waiting; sleep 30', 1, { killGraceMs: 300 });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1250 && elapsed < 10_000, `took ${elapsed} ms`);
      assert.equal(result.signal, 'SIGKILL');
      assert.equal(result.output, 'waiting');
      assert.equal(result.timedOut, true);
    });

    it('is not held open by a background grandchild after the time limit', async () => {
      const started = Date.now();
      const result = await sh('sleep 30 & echo started', 1);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(result.output, 'started\n');
      // A namespace ends with the command: the sleep goes then, before any time limit.
      assert.equal(result.timedOut, containment.mode === 'group');
    });

    it('gives up the pipes of a grandchild that left the process group', async () => {
      const started = Date.now();
      const result = await sh('setsid sleep 30 & echo started; wait', 1, { killGraceMs: 200 });
      assert.ok(Date.now() - started < 10_000);
      assert.equal(result.output, 'started\n');
      assert.equal(result.timedOut, true);
    });

    it('stops a descendant that left the process group (setsid) at the time limit', async () => {
      const marker = String(
        7000 + Math.floor(Math.random() * 1000) + (backend.name === 'posix_spawn' ? 0.5 : 0),
      );
      const result = await sh(`setsid sleep ${marker} & sleep 30`, 1, { killGraceMs: 300 });
      assert.equal(result.timedOut, true);
      await waitFor('the setsid sleep to be gone', () => !isRunning(['sleep', marker]));
    });

    it('reports the signal a program died of, and an exit code as it is', async () => {
      assert.deepEqual(
        [await sh('echo -n a; kill -TERM $$'), await sh('kill -KILL $$')].map((r) => [
          r.output,
          r.exitCode,
          r.signal,
          r.timedOut,
        ]),
        [
          ['a', null, 'SIGTERM', false],
          ['', null, 'SIGKILL', false],
        ],
      );
      assert.deepEqual([(await sh('exit 7')).exitCode, (await sh('exit 128')).exitCode], [7, 128]);
    });

    it('runs a SIGTERM trap at the time limit, as a shell in its group would', async () => {
      const result = await sh('trap "echo -n trapped; exit 5" TERM; echo -n abc; sleep 30', 1);
      // bash reports the sleep that the group's SIGTERM ended, then runs the trap.
      const expected = ['abcTerminated\ntrapped', 5, true];
      assert.deepEqual([result.output, result.exitCode, result.timedOut], expected);
    });

    it('starts nothing when the signal has already fired', async () => {
      const result = await run('/bin/nope', [], { signal: AbortSignal.abort() });
      assert.deepEqual(result, { output: '', exitCode: null, signal: null, timedOut: true });
    });

    if (containment.mode === 'pidns') {
      it('stops a double-forked setsid grandchild, whose parent is gone, at the limit', async () => {
        const marker = String(7000 + Math.floor(Math.random() * 1000) + 0.25);
        const result = await sh(`(setsid sleep ${marker} &); sleep 30`, 1, { killGraceMs: 300 });
        assert.equal(result.timedOut, true);
        await waitFor('the setsid sleep to be gone', () => !isRunning(['sleep', marker]));
      });

      it('ends what a command left running when the command ends', async () => {
        const marker = String(7000 + Math.floor(Math.random() * 1000) + 0.75);
        const result = await sh(`(setsid sleep ${marker} >/dev/null 2>&1 &); echo -n done`);
        assert.deepEqual([result.output, result.exitCode, result.timedOut], ['done', 0, false]);
        await waitFor('the setsid sleep to be gone', () => !isRunning(['sleep', marker]));
      });

      it('runs the command as PID 2 of its own namespace, under tini', async () => {
        assert.equal((await sh('echo $$')).output, '2\n');
      });
    }

    it('refuses a time limit that is not positive', async () => {
      await assert.rejects(run(shell, ['-c', 'true'], { timeoutSec: 0 }), {
        message: 'invalid time limit',
      });
    });

    it('names the program and the cause when it does not exist', async () => {
      await assert.rejects(run('/bin/nope', [], {}), {
        name: 'SpawnError',
        message: 'cannot run /bin/nope: not found',
      });
    });

    it('names the program and the cause when it is not executable', async () => {
      const script = join(dir, 'not-executable');
      await writeFile(script, '#!/bin/sh\necho hi\n');
      await chmod(script, 0o644);
      await assert.rejects(run(script, [], {}), {
        message: `cannot run ${script}: permission denied (not executable?)`,
      });
    });

    it('says so when a component of the path is not a directory', async () => {
      const file = join(dir, 'plain-file');
      await writeFile(file, '');
      await assert.rejects(run(`${file}/sh`, [], {}), {
        message: `cannot run ${file}/sh: a component of the path is not a directory`,
      });
    });
  });
}
