// Smoke test: every scenario still runs, in one tiny round each (--smoke), and produces numbers.
// Never a timed assertion: the figures of a shared CI machine prove nothing; docs/benchmarks.md
// comes from a full run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SCENARIOS } from './lib/scenarios.mjs';

const RUN = fileURLToPath(new URL('./run.mjs', import.meta.url));

describe('npm run bench -- --smoke', () => {
  it('runs every scenario and reports a figure for each row and check', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [RUN, '--smoke', '--json'], {
      timeout: 240_000, // only bounds a hang: under load the smoke run takes 40 s or more
    });
    const { results } = JSON.parse(stdout);
    assert.deepEqual(
      results.map((r) => r.name),
      SCENARIOS,
    );
    for (const result of results) {
      assert.ok(result.rows.length > 0, `${result.name} has rows`);
      for (const row of result.rows) {
        assert.match(String(row[1]), /\d/, `${result.name}: ${row.join(' ')}`);
      }
      for (const check of result.checks) {
        assert.match(check.value, /\d/, `${result.name}: ${check.what}`);
      }
    }
  });
});
