// reject-webhook: a wrong password over POST /api/command against adnanh/webhook refusing a
// request that fails its hook's trigger rule (target ≥ 0.5×): both are a refused secret; ours
// also runs the guard, counts a failed login and logs a line.
import { apiVsBaseline } from './lib/compare-http.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'reject-webhook',
  title: 'Wrong password over the API vs adnanh/webhook refusing a failed trigger rule',
  command: 'wrong-password .e bans',
  expect: 'refused',
  baseline: 'webhook',
  baselinePath: '/hooks/guarded',
  baselineExpect: 'refused',
  label: 'webhook',
  target: 0.5,
});
