// shell-pidns: `.s true` as configured by default, each command in a PID namespace of its own
// (unshare + tini around `bash -c true`: two more execs per command), against adnanh/webhook
// running `bash -c true` with no containment. The target is shell-webhook's; what stands in its
// way is the namespace's cost, which docs/benchmarks.md shows.
import { apiVsBaseline } from './lib/compare-http.mjs';
import { PASSWORD } from './lib/daemon.mjs';

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export const run = apiVsBaseline({
  name: 'shell-pidns',
  title:
    '`.s true` in a PID namespace (the default) over the API vs adnanh/webhook running `bash -c true`',
  command: `${PASSWORD} .s true`,
  expect: 'ok',
  baseline: 'webhook',
  baselinePath: '/hooks/true',
  label: 'webhook',
  contain: 'pidns',
  target: 1.0,
});
