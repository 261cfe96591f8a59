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
  notes: [
    '**What stands in the way** (`node --cpu-prof` of the daemon under this load, 8 s, shares of ' +
      'its samples): writing the response, one `writev(2)` on a loopback socket, 18%; idle ' +
      '(waiting for the load generator on the same 2 cores) 30%; node:http parsing and streams ' +
      '~15%; the pipeline (guard, rate limits, failed-login count, PIN match) 10%; the log line ' +
      'of the refusal 4%. webhook pays the same socket write.',
    '**What was tried**: the log line was 12% of the samples (15% of the busy time): pino’s ' +
      '`*.key` redaction paths ran a stringifier on every field of every line, and each line was ' +
      'one `write(2)`. Redaction now is pino’s top-level paths plus a loop one level down (3× ' +
      'cheaper per line), and stdout is written in 4 KiB batches at least every 100 ms and at ' +
      'exit: 4% now. Earlier: express’ router and body parsers off this route, no stack trace ' +
      'for a PipelineError. Left: the refusal’s `command` log line itself (one per request; a ' +
      'capped RefusalLog line would save the rest) and node:http.',
  ],
});
