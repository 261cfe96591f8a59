import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

const MODULE = new URL('./batched-destination.js', import.meta.url).href;

/** A node process that writes `count` lines through batchedDestination(1), then runs `then`. */
function writer(count: number, then: string) {
  const script =
    `const { batchedDestination } = await import(${JSON.stringify(MODULE)});` +
    `const out = batchedDestination(1);` +
    `for (let i = 0; i < ${count}; i++) out.write(JSON.stringify({ i }) + '\\n');` +
    then;
  return spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
}

/** Every stdout line of `child` until it exits. */
async function allLines(child: ReturnType<typeof writer>): Promise<string[]> {
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  await once(child, 'close');
  return lines;
}

const expected = (count: number) => Array.from({ length: count }, (_, i) => JSON.stringify({ i }));

describe('batchedDestination', () => {
  it('loses no line when the process ends normally', async () => {
    assert.deepEqual(await allLines(writer(1000, '')), expected(1000));
  });

  it('loses no line when the process ends on an uncaught error', async () => {
    assert.deepEqual(await allLines(writer(5, "throw new Error('boom');")), expected(5));
  });

  it('loses no line on process.exit', async () => {
    assert.deepEqual(await allLines(writer(7, 'process.exit(3);')), expected(7));
  });

  it('writes a batch that is not full while the process runs on', async () => {
    // The process stays until its stdin closes: the line must come before that, by the timer.
    const child = writer(
      1,
      "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));",
    );
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    assert.equal(line, JSON.stringify({ i: 0 }));
    child.stdin.end();
    await once(child, 'close');
  });
});
