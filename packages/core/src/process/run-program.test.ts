import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathExists, waitFor } from '../testing.js';
import { DEFAULT_MAX_OUTPUT_BYTES, findInterpreter, runProgram } from './run-program.js';
import type { RunProgramOptions } from './run-program.js';

const shell = (await findInterpreter()) ?? '/bin/sh';

/**
 * Runs a shell statement with a fresh time limit of `timeoutSec`. The default is generous, for a
 * loaded machine: only tests about time limits pass a short one, and their sleeps are long.
 */
function sh(script: string, timeoutSec = 30, extra: Partial<RunProgramOptions> = {}) {
  return runProgram(shell, ['-c', script], {
    signal: AbortSignal.timeout(timeoutSec * 1000),
    timeoutSec,
    ...extra,
  });
}

describe('findInterpreter', () => {
  it('finds an executable bash or sh in a standard directory', async () => {
    const found = await findInterpreter();
    assert.ok(found !== undefined);
    assert.match(found, /^\/(usr\/(local\/)?)?bin\/(bash|sh)$/);
    assert.ok((await stat(found)).isFile());
  });
});

describe('runProgram', { concurrency: true }, () => {
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
    const result = await runProgram('/bin/echo', ['$HOME', '*', 'a b'], {
      signal: AbortSignal.timeout(5000),
      timeoutSec: 5,
    });
    assert.equal(result.output, '$HOME * a b\n');
  });

  it('passes the given environment', async () => {
    const result = await sh('echo "$SWITCHBOARD_TEST"', 30, {
      env: { ...process.env, SWITCHBOARD_TEST: 'hello' },
    });
    assert.equal(result.output, 'hello\n');
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
    const running = runProgram(shell, ['-c', `echo -n begun; touch ${begun}; sleep 30`], {
      signal: controller.signal,
      timeoutSec: 30,
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
    assert.equal(result.timedOut, true);
  });

  it('gives up the pipes of a grandchild that left the process group', async () => {
    const started = Date.now();
    const result = await sh('setsid sleep 30 & echo started; wait', 1, { killGraceMs: 200 });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(result.output, 'started\n');
    assert.equal(result.timedOut, true);
  });

  it('starts nothing when the signal has already fired', async () => {
    const result = await runProgram('/bin/nope', [], {
      signal: AbortSignal.abort(),
      timeoutSec: 5,
    });
    assert.deepEqual(result, { output: '', exitCode: null, signal: null, timedOut: true });
  });

  it('refuses a time limit that is not positive', async () => {
    await assert.rejects(
      runProgram(shell, ['-c', 'true'], { signal: AbortSignal.timeout(1000), timeoutSec: 0 }),
      { message: 'invalid time limit' },
    );
  });

  it('names the program and the cause when it does not exist', async () => {
    await assert.rejects(
      runProgram('/bin/nope', [], { signal: AbortSignal.timeout(1000), timeoutSec: 1 }),
      { message: 'cannot run "/bin/nope": ENOENT (no such file or directory)' },
    );
  });

  it('names the program and the cause when it is not executable', async () => {
    const script = join(dir, 'not-executable');
    await writeFile(script, '#!/bin/sh\necho hi\n');
    await chmod(script, 0o644);
    await assert.rejects(
      runProgram(script, [], { signal: AbortSignal.timeout(1000), timeoutSec: 1 }),
      { message: `cannot run "${script}": EACCES (permission denied)` },
    );
  });
});
