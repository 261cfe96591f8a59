// shell-webhook: `.s true` over POST /api/command (`bash -c true`) against adnanh/webhook, the Go
// peer, running the same `bash -c true` per request and returning its output (target ≥ 1.0×).
// Like for like, the command runs in its process group (apps.shell.contain "group"), as
// webhook's do; shell-pidns measures the default, a PID namespace per command.
import { apiVsBaseline } from './lib/compare-http.mjs';
import { PASSWORD } from './lib/daemon.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'shell-webhook',
  title: '`.s true` over the API vs adnanh/webhook running `bash -c true`',
  command: `${PASSWORD} .s true`,
  expect: 'ok',
  baseline: 'webhook',
  baselinePath: '/hooks/true',
  label: 'webhook',
  contain: 'group',
  target: 1.0,
});
