// inproc: an in-process app (`.e bans`, which lists no bans) over POST /api/command, against a
// bare express hello-world. The whole pipeline, with no process spawned: what Switchboard adds
// to a web framework for a command that succeeds (target ≥ 0.7×).
import { apiVsBaseline } from './lib/compare-http.mjs';
import { PASSWORD } from './lib/daemon.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'inproc',
  title: '`.e bans` over the API vs bare express',
  command: `${PASSWORD} .e bans`,
  expect: 'ok',
  baseline: 'express-hello',
  label: 'express',
  target: 0.7,
});
