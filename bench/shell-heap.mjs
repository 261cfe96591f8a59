// shell-heap: `.s true` over the API with 512 MiB of the daemon's heap held, against the same
// daemon holding nothing (target ≥ 0.9×). With fork semantics a spawn copies the page tables
// of the whole heap; posix_spawn copies none, so the figure must stay flat. Both run contained by
// group: this measures the spawn, not the namespace around it (shell-pidns).
import { fileURLToPath } from 'node:url';
import { compareHttp, containedConfig } from './lib/compare-http.mjs';
import { PASSWORD, startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

const HOLD_MIB = 512;
const HOLD = fileURLToPath(new URL('./lib/hold-heap.mjs', import.meta.url));

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const job = {
    path: '/api/command',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command: `${PASSWORD} .s true` }),
    expect: 'ok',
  };
  const held = `${String(HOLD_MIB)} MiB held`;
  const { medians, ratio } = await compareHttp(profile, {
    [held]: {
      start: () =>
        startDaemon(containedConfig('group'), {
          HOLD_HEAP_MIB: String(HOLD_MIB),
          NODE_OPTIONS: `--import=${HOLD} --max-old-space-size=${String(HOLD_MIB * 3)}`,
        }),
      job,
    },
    'nothing held': { start: () => startDaemon(containedConfig('group')), job },
  });
  return {
    name: 'shell-heap',
    title: `\`.s true\` over the API with ${String(HOLD_MIB)} MiB of daemon heap held vs none`,
    ...httpRows(medians),
    checks: [atLeast(`${held} / nothing held req/s`, ratio, 0.9)],
  };
}
