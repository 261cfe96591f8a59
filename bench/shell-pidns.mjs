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
  notes: [
    '**What stands in the way**: the namespace itself. Sequential spawn+wait through posix_spawn ' +
      '(200 runs each, one quiet-ish moment): `bash -c true` 2.06 ms; under `tini` 2.75 ms; under ' +
      '`unshare --fork` 2.81 ms; `unshare --pid --fork` 3.08 ms; the whole ' +
      '`unshare --pid --fork --kill-child -- tini -g --` 4.41 ms. Two more execs (unshare, tini) ' +
      'and a fork per command: about twice the work of webhook’s, which contains nothing.',
    '**Trade-off**: set `apps.shell.contain` to `"group"` for shell-webhook’s figure, at the cost ' +
      'of double-forked escapees (docs/apps.md#timeouts). A namespace made from the daemon ' +
      'itself (unshare(CLONE_NEWPID) on the spawning thread) would save unshare’s exec but needs ' +
      'root and cannot make the user namespace a non-root daemon needs (a multi-threaded process ' +
      'may not); not built.',
  ],
});
