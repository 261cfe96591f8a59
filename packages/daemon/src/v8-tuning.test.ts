/**
 * What `switchboard run` relies on to start without V8's compilers (v8-tuning.ts): the flags
 * take effect when set at run time, in both directions. Checked in a child with V8's natives
 * syntax, which tells how a function runs: a newer Node that freezes its flags fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TUNING = new URL('./v8-tuning.js', import.meta.url).href;
// V8's OptimizationStatus bits (src/runtime/runtime.h).
const OPTIMIZED = 1 << 4;
const BASELINE = 1 << 15;

/** Runs `hot` 20k times before and after compileFromNowOn(); how it ran each time. */
const SCRIPT = `
const { deferCompilers, compileFromNowOn } = await import(${JSON.stringify(TUNING)});
function hot(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
const heat = () => { for (let i = 0; i < 20000; i++) hot(100); return %GetOptimizationStatus(hot); };
deferCompilers();
const deferred = heat();
compileFromNowOn();
const after = heat();
console.log(JSON.stringify({ deferred, after }));
`;

describe('V8 tuning', () => {
  it('runs hot code in the interpreter after deferCompilers(), and compiles it after compileFromNowOn()', async () => {
    const { stdout } = await run(process.execPath, [
      '--allow-natives-syntax',
      // Optimized on the main thread: done when the loop ends, however loaded the machine.
      '--no-concurrent-recompilation',
      '--input-type=module',
      '-e',
      SCRIPT,
    ]);
    const { deferred, after } = JSON.parse(stdout) as { deferred: number; after: number };
    assert.equal(deferred & (OPTIMIZED | BASELINE), 0, `deferred: status ${deferred.toString(2)}`);
    assert.notEqual(after & OPTIMIZED, 0, `after: status ${after.toString(2)}`);
  });
});
