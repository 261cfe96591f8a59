// named: a named command with an API key over POST /api/commands/{name}, against the text API's
// `.s true` with a password, both running `bash -c true` in one daemon config. Named commands add
// a key lookup and argument checks; they should cost no more than the text API (target ≥ 0.9×).
import { createHash } from 'node:crypto';
import { compareHttp } from './lib/compare-http.mjs';
import { benchConfig, PASSWORD, startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

/** The key of the benchmark's config. */
export const BENCH_KEY = 'sbk_bench-key-0123456789abcdef';

/** benchConfig with a named command `true` and the key, its rate raised. */
export function keyedConfig(dir, port) {
  return benchConfig(dir, port, {
    commands: { true: { run: ['bash', '-c', 'true'] } },
    apiKeys: {
      bench: {
        sha256: createHash('sha256').update(BENCH_KEY).digest('hex'),
        rateLimit: { requests: 1_000_000_000, perSec: 1 },
      },
    },
  });
}

const json = { 'content-type': 'application/json' };

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const { medians, ratio } = await compareHttp(profile, {
    named: {
      start: () => startDaemon(keyedConfig),
      job: {
        path: '/api/commands/true',
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${BENCH_KEY}` },
        body: '{}',
        expect: 'ok',
      },
    },
    'text API': {
      start: () => startDaemon(keyedConfig),
      job: {
        path: '/api/command',
        method: 'POST',
        headers: json,
        body: JSON.stringify({ command: `${PASSWORD} .s true` }),
        expect: 'ok',
      },
    },
  });
  return {
    name: 'named',
    title: 'A named command with an API key vs `.s true` with a password (both bash -c true)',
    ...httpRows(medians),
    checks: [atLeast('named / text API req/s', ratio, 0.9)],
  };
}
