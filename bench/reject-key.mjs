// reject-key: a wrong API key (Authorization: Bearer) over POST /api/command, against a wrong
// password in the text. Both are failed logins; the key's SHA-256 and lookup should cost no
// more than the password matcher (target ≥ 0.9×).
import { compareHttp } from './lib/compare-http.mjs';
import { startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';
import { keyedConfig } from './named.mjs';

const json = { 'content-type': 'application/json' };

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const { medians, ratio } = await compareHttp(profile, {
    'wrong key': {
      start: () => startDaemon(keyedConfig),
      job: {
        path: '/api/command',
        method: 'POST',
        headers: { ...json, authorization: 'Bearer sbk_wrong-key-0123456789abcdef' },
        body: JSON.stringify({ command: '.x true' }),
        expect: 'refused',
      },
    },
    'wrong password': {
      start: () => startDaemon(keyedConfig),
      job: {
        path: '/api/command',
        method: 'POST',
        headers: json,
        body: JSON.stringify({ command: 'wrong-password .x true' }),
        expect: 'refused',
      },
    },
  });
  return {
    name: 'reject-key',
    title: 'A wrong API key vs a wrong password over the API',
    ...httpRows(medians),
    checks: [atLeast('wrong key / wrong password req/s', ratio, 0.9)],
  };
}
