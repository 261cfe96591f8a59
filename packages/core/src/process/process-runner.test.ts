import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { pathExists, waitFor } from '../testing.js';
import { HelperProcessRunner, InProcessRunner } from './process-runner.js';
import type { ProcessRunner } from './process-runner.js';
import { findInterpreter } from './run-program.js';
import type { RunProgramOptions } from './run-program.js';

const shell = (await findInterpreter()) ?? '/bin/sh';

/**
 * Runs a shell statement through `runner` with a fresh time limit of `timeoutSec`. The default
 * is generous, for a loaded machine: only tests about time limits pass a short one.
 */
function sh(
  runner: ProcessRunner,
  script: string,
  timeoutSec = 30,
  extra: Partial<RunProgramOptions> = {},
) {
  return runner.run(shell, ['-c', script], {
    signal: AbortSignal.timeout(timeoutSec * 1000),
    timeoutSec,
    ...extra,
  });
}

/** Gives `test` a fresh helper runner and closes it afterwards, whatever happened. */
async function withHelper(test: (runner: HelperProcessRunner) => Promise<void>): Promise<void> {
  const runner = new HelperProcessRunner();
  try {
    await test(runner);
  } finally {
    await runner.close();
  }
}

/** The helper's pid, read through a call so that an assertion about it does not narrow it. */
function pidOf(runner: HelperProcessRunner): number | undefined {
  return runner.pid;
}

/** Whether `pid` is a live process (a zombie left to a non-reaping init counts as gone). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > until) return false;
    await sleep(20);
  }
  return true;
}

/** Runs `body` in a separate Node process that owns a HelperProcessRunner named `runner`. */
function parentProcess(body: string) {
  const runnerUrl = new URL('./process-runner.js', import.meta.url).href;
  const source = `import { HelperProcessRunner } from ${JSON.stringify(runnerUrl)};
const runner = new HelperProcessRunner();
const result = await runner.run('/bin/echo', ['ok'], { signal: new AbortController().signal, timeoutSec: 5 });
process.stdout.write(JSON.stringify({ output: result.output, helper: runner.pid }) + '\\n');
${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = new Promise<{ output: string; helper: number }>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(text.slice(0, end)) as { output: string; helper: number });
    });
    child.on('exit', () => {
      reject(new Error(`parent exited before printing: ${text}`));
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, firstLine, exited };
}

describe('HelperProcessRunner', { concurrency: true }, () => {
  it('returns the output and the exit code, stdout and stderr merged', async () => {
    await withHelper(async (runner) => {
      assert.equal(pidOf(runner), undefined, 'no helper before the first run');
      const result = await sh(runner, 'echo out; echo err >&2; exit 3');
      assert.deepEqual(result, {
        output: 'out\nerr\n',
        exitCode: 3,
        signal: null,
        timedOut: false,
      });
      assert.ok(runner.pid !== undefined && isAlive(runner.pid), 'the helper stays for the next');
    });
  });

  it('passes arguments, the environment and the output limit', async () => {
    await withHelper(async (runner) => {
      const echoed = await runner.run('/bin/echo', ['$HOME', '*', 'a b'], {
        signal: AbortSignal.timeout(5000),
        timeoutSec: 5,
      });
      assert.equal(echoed.output, '$HOME * a b\n');
      const env = await sh(runner, 'echo -n "$SB_TEST"', 30, { env: { SB_TEST: 'from env' } });
      assert.equal(env.output, 'from env');
      const tail = await sh(runner, 'echo -n abcdef', 30, { maxOutputBytes: 3 });
      assert.equal(tail.output, 'def');
    });
  });

  it('gives programs the NODE_OPTIONS the helper itself started without', async () => {
    await withHelper(async (runner) => {
      const saved = process.env.NODE_OPTIONS;
      process.env.NODE_OPTIONS = '--inspect=127.0.0.1:0';
      // The helper is forked synchronously inside run(), so restoring right after is safe.
      const running = sh(runner, 'echo -n "$NODE_OPTIONS"');
      if (saved === undefined) Reflect.deleteProperty(process.env, 'NODE_OPTIONS');
      else process.env.NODE_OPTIONS = saved;
      assert.equal((await running).output, '--inspect=127.0.0.1:0');
    });
  });

  it('names the cause when the program cannot start', async () => {
    await withHelper(async (runner) => {
      await assert.rejects(
        runner.run('/nonexistent/prog', [], { signal: AbortSignal.timeout(5000), timeoutSec: 5 }),
        { message: 'cannot run "/nonexistent/prog": ENOENT (no such file or directory)' },
      );
      assert.equal((await sh(runner, 'echo -n still')).output, 'still');
    });
  });

  it('kills the whole group at the time limit and returns the partial output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'process-runner-'));
    try {
      const marker = join(dir, 'marker');
      await withHelper(async (runner) => {
        await sh(runner, 'true'); // the helper's start-up must not count toward the limit
        const started = Date.now();
        const result = await sh(runner, `echo -n abc; (sleep 1.5; touch ${marker}) & sleep 5`, 1, {
          killGraceMs: 200,
        });
        assert.ok(Date.now() - started < 4000, 'returned well before the sleep ended');
        assert.deepEqual(result, {
          output: 'abc',
          exitCode: null,
          signal: 'SIGTERM',
          timedOut: true,
        });
      });
      await sleep(1000);
      await assert.rejects(access(marker), 'the background member was killed too');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops the program when the caller aborts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'process-runner-'));
    const begun = join(dir, 'begun');
    await withHelper(async (runner) => {
      const controller = new AbortController();
      const started = Date.now();
      const running = runner.run(shell, ['-c', `echo -n x; touch ${begun}; sleep 10`], {
        signal: controller.signal,
        timeoutSec: 30,
      });
      await waitFor('the program to begin', () => pathExists(begun));
      controller.abort();
      const result = await running;
      assert.ok(Date.now() - started < 9000, `took ${Date.now() - started} ms`);
      assert.equal(result.output, 'x');
      assert.equal(result.timedOut, true);
      const aborted = await runner.run(shell, ['-c', 'echo never'], {
        signal: AbortSignal.abort(),
        timeoutSec: 5,
      });
      assert.deepEqual(aborted, { output: '', exitCode: null, signal: null, timedOut: true });
    }).finally(() => rm(dir, { recursive: true, force: true }));
  });

  it('keeps 20 concurrent runs apart', async () => {
    await withHelper(async (runner) => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => sh(runner, `sleep 0.$((${i} % 3)); echo -n ${i}`)),
      );
      assert.deepEqual(
        results.map((r) => r.output),
        Array.from({ length: 20 }, (_, i) => String(i)),
      );
    });
  });

  it('fails the calls in flight when the helper dies, and starts a new one for the next', async () => {
    await withHelper(async (runner) => {
      const first = await sh(runner, 'echo -n one');
      assert.equal(first.output, 'one');
      const pid = runner.pid;
      assert.ok(pid !== undefined);
      const inFlight = sh(runner, 'sleep 1');
      process.kill(pid, 'SIGKILL');
      await assert.rejects(inFlight, {
        message: 'process helper exited (signal SIGKILL); the command did not finish',
      });
      assert.equal(pidOf(runner), undefined);
      assert.equal((await sh(runner, 'echo -n two')).output, 'two');
      assert.ok(runner.pid !== undefined && runner.pid !== pid);
    });
  });

  it('ends the helper on close, fails what was in flight, and refuses later runs', async () => {
    const runner = new HelperProcessRunner();
    assert.equal((await sh(runner, 'echo -n hi')).output, 'hi');
    const pid = runner.pid;
    assert.ok(pid !== undefined);
    const inFlight = assert.rejects(sh(runner, 'sleep 5'), {
      message: 'process runner closed; the command did not finish',
    });
    await Promise.all([runner.close(), runner.close()]);
    await inFlight;
    assert.equal(runner.pid, undefined);
    assert.equal(isAlive(pid), false);
    await assert.rejects(sh(runner, 'echo late'), {
      message: 'process runner is closed; the command did not run',
    });
  });

  it('never keeps its owner alive, and ends with it', async () => {
    const { firstLine, exited } = parentProcess('');
    const { output, helper } = await firstLine;
    assert.equal(output, 'ok\n');
    assert.equal(await exited, 0, 'the owner exited by itself with an idle helper');
    assert.ok(await waitUntilGone(helper, 10_000), 'the helper followed');
  });

  it('ends when its owner is killed', async () => {
    const { child, firstLine, exited } = parentProcess('setInterval(() => undefined, 1000);');
    const { helper } = await firstLine;
    assert.ok(isAlive(helper));
    child.kill('SIGKILL');
    await exited;
    assert.ok(await waitUntilGone(helper, 10_000), 'the helper followed');
  });
});

describe('InProcessRunner', () => {
  it('runs programs from this process and has nothing to close', async () => {
    const runner = new InProcessRunner();
    assert.equal((await sh(runner, 'echo -n here')).output, 'here');
    await runner.close();
  });
});
