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
  notes: [
    '**What stands in the way** (`node --cpu-prof`, 6 s under this load): koffi’s asynchronous ' +
      'call of posix_spawn, on the event loop, 27% of the samples: marshalling argv and envp and ' +
      'queueing the call costs ~16 µs for an empty call and ~60 µs with the strings of ' +
      '`bash -c true`, more under contention; the response `writev(2)` 10%. The rest is bash ' +
      'itself, which webhook runs too.',
    '**What was tried**: koffi kept 8 memory pools for async calls, not the 64 asked for (it ' +
      'refuses more than 32, and the refusal was swallowed): beyond 8 spawns in flight every ' +
      'call allocated a fresh pool; now 32, and the time in the call at 16 in flight fell from ' +
      '~0.4 to ~0.16 ms in a micro-run. A dedicated spawning thread fed through shared memory ' +
      'would remove the marshalling; not built.',
  ],
});
