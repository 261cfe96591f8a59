import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { spawnBackends } from '../testing.js';
import { chooseBackend, ProcessRunner } from './process-runner.js';
import { findInterpreter } from './run-program.js';

const shell = (await findInterpreter()) ?? '/bin/sh';
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

/** Runs a shell statement through `runner` with a fresh time limit of `timeoutSec`. */
function sh(runner: ProcessRunner, script: string, timeoutSec = 30) {
  return runner.run(shell, ['-c', script], {
    signal: AbortSignal.timeout(timeoutSec * 1000),
    timeoutSec,
    env: ENV,
  });
}

/** This process's children as /proc lists them, zombies included ("Z"). */
function children(): { pid: number; state: string }[] {
  const found: { pid: number; state: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ")".
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === process.pid) found.push({ pid: Number(name), state: state ?? '' });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('chooseBackend', () => {
  it('takes posix_spawn on Linux with glibc, and says why when it falls back', () => {
    const choice = chooseBackend();
    const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } })
      .header?.glibcVersionRuntime;
    if (process.platform === 'linux' && glibc !== undefined) {
      assert.equal(choice.backend.name, 'posix_spawn');
      assert.equal(choice.why, undefined);
    } else {
      assert.equal(choice.backend.name, 'child_process');
      assert.ok(choice.why);
    }
    assert.equal(chooseBackend('child_process').backend.name, 'child_process');
  });
});

for (const backend of spawnBackends()) {
  describe(`ProcessRunner on ${backend.name}`, () => {
    it('leaves no child behind after 1,000 commands, some killed at their time limit', async () => {
      const runner = new ProcessRunner({ backend });
      const before = children().length;
      const results: string[] = [];
      for (let batch = 0; batch < 50; batch++) {
        const runs = Array.from({ length: 20 }, (_, i) =>
          i === 0
            ? sh(runner, 'echo -n slow; sleep 30', 1).then((r) => (r.timedOut ? 'killed' : 'ran'))
            : sh(runner, `echo -n ${String(i)}`).then((r) => r.output),
        );
        results.push(...(await Promise.all(runs)));
        if (batch === 1) break; // two batches with kills, the rest below without waiting a second each
      }
      for (let i = 0; i < 960; i += 20) {
        const runs = Array.from({ length: 20 }, (_, j) =>
          sh(runner, `echo -n ${String(j)}`).then((r) => r.output),
        );
        results.push(...(await Promise.all(runs)));
      }
      assert.equal(results.length, 1000);
      assert.equal(results.filter((r) => r === 'killed').length, 2);
      assert.deepEqual(children().length, before, JSON.stringify(children()));
    });

    it('runs 300 programs at once (more than koffi queues asynchronously)', async () => {
      const runner = new ProcessRunner({ backend });
      const outputs = await Promise.all(
        Array.from({ length: 300 }, (_, i) => sh(runner, `echo -n ${String(i)}`)),
      );
      assert.deepEqual(
        outputs.map((r) => r.output),
        Array.from({ length: 300 }, (_, i) => String(i)),
      );
    });

    it('does not hold a thread-pool thread while a program runs', async () => {
      const runner = new ProcessRunner({ backend });
      // More sleepers than libuv's 4 pool threads: a pool-bound reaper would starve readFile.
      const sleepers = Array.from({ length: 8 }, () => sh(runner, 'sleep 3'));
      let sleepersDone = 0;
      for (const s of sleepers) void s.then(() => sleepersDone++);
      await readFile('/proc/self/stat');
      assert.equal(sleepersDone, 0, 'a file read waited for the sleeping programs');
      await Promise.all(sleepers);
    });

    it('stops what runs at close, and refuses later runs', async () => {
      const runner = new ProcessRunner({ backend });
      const running = sh(runner, 'echo -n started; sleep 30');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await runner.close();
      const result = await running;
      assert.equal(result.timedOut, true);
      await assert.rejects(sh(runner, 'echo late'), {
        message: 'process runner is closed; the command did not run',
      });
    });
  });
}
