import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ProcSampler } from './proc-sampler.js';

describe('the /proc sampler', () => {
  it('reads every figure within its range, the root filesystem among the disks', async () => {
    const sampler = new ProcSampler();
    await sampler.sample();
    const sample = await sampler.sample();
    for (const value of [sample.cpuPercent, sample.memoryPercent]) {
      assert.ok(value >= 0 && value <= 100, String(value));
    }
    assert.ok(sample.memoryPercent > 0);
    assert.ok(
      sample.disks.some((d) => d.mount === '/'),
      JSON.stringify(sample.disks),
    );
    for (const disk of sample.disks) assert.ok(disk.usedPercent >= 0 && disk.usedPercent <= 100);
    assert.ok(sample.disks.every((d) => !/^\/(proc|sys|dev|run)(\/|$)/.test(d.mount)));
    assert.ok(sample.load1 >= 0);
    assert.ok(sample.cores >= 1);
    assert.ok(sample.netRxBytesPerSec >= 0 && sample.netTxBytesPerSec >= 0);
  });

  it('names a process that spins among the top by CPU, and this one with its memory', async () => {
    const spinner = spawn(process.execPath, ['-e', 'process.stdout.write("go"); for (;;) {}'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await once(spinner.stdout, 'data');
      const top = await new ProcSampler().topProcesses(10);
      const spinning = top.find((p) => p.pid === spinner.pid);
      assert.ok(spinning !== undefined, JSON.stringify(top));
      assert.equal(spinning.name, 'node');
      assert.ok(spinning.cpuPercent > 0);
      assert.ok(top.every((p) => p.memoryBytes >= 0 && p.name !== ''));
    } finally {
      spinner.kill('SIGKILL');
    }
  });
});
