// shell: `.s true` over POST /api/command (unrestricted shell: `bash -c true` in its own process
// group, apps.shell.contain "group"), against a bare node:http server that runs /bin/true per
// request. Spawning dominates; the pipeline and express around it should cost little beside it
// (target ≥ 0.9×).
import { apiVsBaseline } from './lib/compare-http.mjs';
import { PASSWORD } from './lib/daemon.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'shell',
  title: '`.s true` over the API vs node:http spawning /bin/true',
  command: `${PASSWORD} .s true`,
  expect: 'ok',
  baseline: 'http-spawn',
  label: 'node:http+spawn',
  contain: 'group',
  target: 0.9,
});
