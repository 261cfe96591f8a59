// shell: `.s true` over POST /api/command (unrestricted shell: `bash -c true` in its own process
// group), against a bare node:http server that runs /bin/true per request. Spawning dominates;
// the pipeline and express around it should cost little beside it (target ≥ 0.9×).
import { compareHttp } from './lib/compare-http.mjs';
import { startBaseline } from './lib/baseline.mjs';
import { PASSWORD, startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

const REQUEST = {
  path: '/api/command',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ command: `${PASSWORD} .s true` }),
};

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const { medians, ratio } = await compareHttp(profile, {
    switchboard: { start: () => startDaemon(), job: { ...REQUEST, expect: 'ok' } },
    'node:http + execFile': {
      start: () => startBaseline('http-spawn'),
      job: { ...REQUEST, path: '/', expect: 'ok' },
    },
  });
  return {
    name: 'shell',
    title: '`.s true` over the API vs node:http spawning /bin/true',
    ...httpRows(medians),
    checks: [atLeast('switchboard / node:http+spawn req/s', ratio, 0.9)],
  };
}
