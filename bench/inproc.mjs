// inproc: an in-process app (`.e bans`, which lists no bans) over POST /api/command, against a
// bare express hello-world. The whole pipeline, with no process spawned: what Switchboard adds
// to a web framework for a command that succeeds (target ≥ 0.7×).
import { compareHttp } from './lib/compare-http.mjs';
import { startBaseline } from './lib/baseline.mjs';
import { PASSWORD, startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

const REQUEST = {
  path: '/api/command',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ command: `${PASSWORD} .e bans` }),
};

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const { medians, ratio } = await compareHttp(profile, {
    switchboard: { start: () => startDaemon(), job: { ...REQUEST, expect: 'ok' } },
    express: {
      start: () => startBaseline('express-hello'),
      job: { ...REQUEST, path: '/', expect: 'ok' },
    },
  });
  return {
    name: 'inproc',
    title: '`.e bans` over the API vs bare express',
    ...httpRows(medians),
    checks: [atLeast('switchboard / express req/s', ratio, 0.7)],
  };
}
