// The shape shared by the HTTP scenarios: start the daemon and its baseline, warm both up, then
// alternate equal load rounds against each and return the samples and medians.
import { startBaseline } from './baseline.mjs';
import { benchConfig, startDaemon } from './daemon.mjs';
import { httpLoad } from './load.mjs';
import { atLeast, httpRows } from './report.mjs';
import { alternate, medianRatio } from './rounds.mjs';

/**
 * `contenders` maps a label to { start() → server with url and stop(), job: load options with a
 * `path`, expect: 'ok' | 'refused' }. The first contender is compared with the second.
 */
export async function compareHttp(profile, contenders) {
  const labels = Object.keys(contenders);
  const servers = {};
  try {
    for (const label of labels) servers[label] = await contenders[label].start();
    const load = (label, durationSec) => {
      const { path, expect, ...job } = contenders[label].job;
      return httpLoad({
        ...job,
        url: servers[label].url + path,
        connections: profile.connections,
        durationSec,
      }).then((summary) => check(label, expect, summary));
    };
    if (profile.warmupSec > 0) for (const label of labels) await load(label, profile.warmupSec);
    const { samples, medians } = await alternate(profile.rounds, labels, (label) =>
      load(label, profile.durationSec),
    );
    return { samples, medians, ratio: medianRatio(samples, labels[0], labels[1], 'rps') };
  } finally {
    for (const label of labels) await servers[label]?.stop();
  }
}

/** A round whose answers are not what the scenario means to measure is a broken benchmark. */
function check(label, expect, summary) {
  const wrong = expect === 'ok' ? summary.non2xx : summary.ok;
  if (summary.total === 0 || wrong > 0 || summary.errors > 0) {
    throw new Error(`${label}: unexpected answers ${JSON.stringify(summary)}`);
  }
  return summary;
}

/**
 * One `POST /api/command` scenario: `command` through the daemon (answered `expect`) against
 * `baseline` (a script in bench/baselines/, under `label`, asked at `baselinePath` and answered
 * `baselineExpect`), checked as a ratio ≥ `target`. `contain` sets apps.shell.contain (unset:
 * the default, a PID namespace where it works); `notes` (paragraphs) go under the tables.
 */
export function apiVsBaseline({
  name,
  title,
  command,
  expect,
  baseline,
  baselinePath = '/',
  baselineExpect = 'ok',
  label,
  target,
  contain,
  notes = [],
}) {
  const request = {
    path: '/api/command',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command }),
  };
  return async (profile) => {
    const { medians, ratio } = await compareHttp(profile, {
      switchboard: {
        start: () => startDaemon(containedConfig(contain)),
        job: { ...request, expect },
      },
      [label]: {
        start: () => startBaseline(baseline),
        job: { ...request, path: baselinePath, expect: baselineExpect },
      },
    });
    return {
      name,
      title,
      ...httpRows(medians),
      checks: [atLeast(`switchboard / ${label} req/s`, ratio, target)],
      notes,
    };
  };
}

/** benchConfig with apps.shell.contain set to `contain`, or as it is when that is unset. */
export function containedConfig(contain) {
  if (contain === undefined) return benchConfig;
  return (dir, port) => {
    const config = benchConfig(dir, port);
    return { ...config, apps: { shell: { ...config.apps.shell, contain } } };
  };
}
