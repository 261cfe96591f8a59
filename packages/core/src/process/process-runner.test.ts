import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { spawnBackends } from '../testing.js';
import type { SpawnBackend } from './spawn-backend.js';
import { chooseBackend, ProcessRunner } from './process-runner.js';
import { probePidns, type ContainMode } from './containment.js';
import { findInterpreter } from './run-program.js';

const shell = (await findInterpreter()) ?? '/bin/sh';
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

/** Runs a shell statement through `runner` with a fresh time limit of `timeoutSec`. */
function shIn(runner: ProcessRunner, script: string, timeoutSec = 30, contain?: ContainMode) {
  return runner.run(shell, ['-c', script], {
    signal: AbortSignal.timeout(timeoutSec * 1000),
    timeoutSec,
    env: ENV,
    contain,
  });
}

const pidns = await new ProcessRunner().containment();

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

  it('keeps koffi memory pools for 32 spawns at once (its maximum; beyond, each call allocates)', (t) => {
    if (chooseBackend().backend.name !== 'posix_spawn') {
      t.skip('no posix_spawn here');
      return;
    }
    const koffi = createRequire(import.meta.url)('koffi') as { config(): Record<string, number> };
    assert.equal(koffi.config().resident_async_pools, 32);
  });
});

describe('ProcessRunner.containment', () => {
  it('is "group" when asked, and says so', async () => {
    assert.deepEqual(await new ProcessRunner().containment('group'), {
      mode: 'group',
      why: 'apps.shell.contain is "group"',
    });
  });

  it('is "pidns" when unset or asked where a namespace works, else "group" and why', async () => {
    const runner = new ProcessRunner();
    const found = await runner.containment();
    if (found.mode === 'pidns') {
      assert.deepEqual(await runner.containment('pidns'), found);
      assert.match(found.prefix.join(' '), /\/unshare (--user --map-current-user )?--pid --fork/);
    } else {
      await assert.rejects(runner.containment('pidns'), {
        name: 'ConfigKeyError',
        message: `apps.shell.contain: "pidns" does not work here (${found.why}); set "group" or leave it out`,
      });
    }
  });

  it("gives unshare's own words as the reason when the namespace fails", async () => {
    const refused = await probePidns(shell, () =>
      Promise.resolve({
        output: 'unshare: unshare failed: Operation not permitted\n',
        exitCode: 1,
        signal: null,
        timedOut: false,
      }),
    );
    assert.deepEqual(refused, {
      mode: 'group',
      why: 'unshare: unshare failed: Operation not permitted',
    });
  });
});

const contains: ContainMode[] = ['group', ...(pidns.mode === 'pidns' ? ['pidns' as const] : [])];
for (const backend of spawnBackends()) {
  for (const contain of contains) describeZombies(backend, contain);
}

/** 1,000 commands, some killed, leave nothing behind: in each containment, on each backend. */
function describeZombies(backend: SpawnBackend, contain: ContainMode): void {
  describe(`ProcessRunner on ${backend.name}, ${contain}`, () => {
    it('leaves no child behind after 1,000 commands, some killed at their time limit', async () => {
      const runner = new ProcessRunner({ backend });
      const sh = (script: string, timeoutSec = 30) => shIn(runner, script, timeoutSec, contain);
      const before = children().length;
      const results: string[] = [];
      for (let batch = 0; batch < 2; batch++) {
        const runs = Array.from({ length: 20 }, (_, i) =>
          i === 0
            ? sh('echo -n slow; sleep 30', 1).then((r) => (r.timedOut ? 'killed' : 'ran'))
            : sh(`echo -n ${String(i)}`).then((r) => r.output),
        );
        results.push(...(await Promise.all(runs)));
      }
      // Two batches with kills; the rest without waiting a second each.
      for (let i = 0; i < 960; i += 20) {
        const runs = Array.from({ length: 20 }, (_, j) =>
          sh(`echo -n ${String(j)}`).then((r) => r.output),
        );
        results.push(...(await Promise.all(runs)));
      }
      assert.equal(results.length, 1000);
      assert.equal(results.filter((r) => r === 'killed').length, 2);
      assert.deepEqual(children().length, before, JSON.stringify(children()));
    });
  });
}

for (const backend of spawnBackends()) {
  describe(`ProcessRunner on ${backend.name}`, () => {
    it('runs 300 programs at once (more than koffi queues asynchronously)', async () => {
      const runner = new ProcessRunner({ backend });
      const outputs = await Promise.all(
        Array.from({ length: 300 }, (_, i) => shIn(runner, `echo -n ${String(i)}`)),
      );
      assert.deepEqual(
        outputs.map((r) => r.output),
        Array.from({ length: 300 }, (_, i) => String(i)),
      );
    });

    it('does not hold a thread-pool thread while a program runs', async () => {
      const runner = new ProcessRunner({ backend });
      // More sleepers than libuv's 4 pool threads: a pool-bound reaper would starve readFile.
      const sleepers = Array.from({ length: 8 }, () => shIn(runner, 'sleep 3'));
      let sleepersDone = 0;
      for (const s of sleepers) void s.then(() => sleepersDone++);
      await readFile('/proc/self/stat');
      assert.equal(sleepersDone, 0, 'a file read waited for the sleeping programs');
      await Promise.all(sleepers);
    });

    it('stops what runs at close, and refuses later runs', async () => {
      const runner = new ProcessRunner({ backend });
      const running = shIn(runner, 'echo -n started; sleep 30');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await runner.close();
      const result = await running;
      assert.equal(result.timedOut, true);
      await assert.rejects(shIn(runner, 'echo late'), {
        message: 'process runner is closed; the command did not run',
      });
    });
  });
}
