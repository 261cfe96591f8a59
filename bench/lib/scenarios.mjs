// The benchmark scenarios (one script each in bench/), in the order `npm run bench` runs them.

/** Every scenario, in the order they run. */
export const SCENARIOS = [
  'reject',
  'reject-webhook',
  'reject-key',
  'inproc',
  'shell',
  'shell-webhook',
  'shell-pidns',
  'shell-heap',
  'named',
  'pipeline',
  'mail',
  'footprint',
  'redis-store',
];
