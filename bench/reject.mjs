// reject: a wrong password over POST /api/command, against a bare express hello-world.
// A flood of bad logins is the daemon's most common internet traffic, and refusing it must cost
// about what express alone costs (target ≥ 0.8×): guard, length and PIN stages, one log line.
import { apiVsBaseline } from './lib/compare-http.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'reject',
  title: 'Wrong password over the API vs bare express',
  command: 'wrong-password .e bans',
  expect: 'refused',
  baseline: 'express-hello',
  label: 'express',
  target: 0.8,
});
