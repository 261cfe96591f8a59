// How long each scenario runs: the full run (< 5 min in all, for docs/benchmarks.md), --quick
// (a glance, well under a minute) and --smoke (one tiny round each, for `npm test`).

/** Settings by mode. */
export const PROFILES = {
  full: {
    rounds: 5,
    durationSec: 3,
    warmupSec: 1,
    connections: 16,
    pipelineCommands: 40_000,
    mails: 600,
    startups: 3,
    idleSec: 25,
    distinctRequests: 100_000,
  },
  quick: {
    rounds: 2,
    durationSec: 1,
    warmupSec: 0.5,
    connections: 16,
    pipelineCommands: 5_000,
    mails: 150,
    startups: 1,
    idleSec: 15,
    distinctRequests: 10_000,
  },
  smoke: {
    rounds: 1,
    durationSec: 0.3,
    warmupSec: 0,
    connections: 4,
    pipelineCommands: 300,
    mails: 20,
    startups: 1,
    idleSec: 0.2,
    distinctRequests: 500,
  },
};
