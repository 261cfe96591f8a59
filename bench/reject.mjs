// reject: a wrong password over POST /api/command, against a bare express hello-world.
// A flood of bad logins is the daemon's most common internet traffic, and refusing it must cost
// about what express alone costs (target ≥ 0.8×): guard, length and PIN stages, one log line.
import { compareHttp } from './lib/compare-http.mjs';
import { startBaseline } from './lib/baseline.mjs';
import { startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

const REQUEST = {
  path: '/api/command',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ command: 'wrong-password .e bans' }),
};

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const { medians, ratio } = await compareHttp(profile, {
    switchboard: { start: () => startDaemon(), job: { ...REQUEST, expect: 'refused' } },
    express: {
      start: () => startBaseline('express-hello'),
      job: { ...REQUEST, path: '/', expect: 'ok' },
    },
  });
  return {
    name: 'reject',
    title: 'Wrong password over the API vs bare express',
    ...httpRows(medians),
    checks: [atLeast('switchboard / express req/s', ratio, 0.8)],
  };
}
