// pipeline: Pipeline.process() in this process, no HTTP: a password vs a one-time-code pair
// before `.e bans`. Code pairs are computed once per 30 s step, never per command, so a pair
// should cost within 10% of a password. Reports commands/s and per-command p50/p99.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, PASSWORD, ROOT } from './lib/daemon.mjs';
import { alternate, median, medianRatio } from './lib/rounds.mjs';
import { atLeast, num } from './lib/report.mjs';

const core = await import(join(ROOT, 'packages/core/dist/index.js'));

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  try {
    const loaded = core
      .createConfigLoader(core.APPS)
      .parse(JSON.stringify(benchConfig(dir, 8080)), { env: {} });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // The daemon's logger, writing where /dev/null would: the JSON line is still built.
    const services = core.createServices(loaded.config, { logDestination: { write() {} } });
    const pipeline = new core.Pipeline({ config: loaded.config, services });
    const pairs = new core.CodePairs([PASSWORD]);
    const content = {
      password: () => `${PASSWORD} .e bans`,
      'code pair': () => `${pairs.current()[0].pair} .e bans`,
    };
    const measure = (label, n) => commands(pipeline, content[label](), n);
    for (const label of Object.keys(content)) await measure(label, profile.pipelineCommands / 4);
    const { samples, medians } = await alternate(profile.rounds, Object.keys(content), (label) =>
      measure(label, profile.pipelineCommands),
    );
    const ratio = medianRatio(samples, 'code pair', 'password', 'rate');
    return {
      name: 'pipeline',
      title: '`pipeline.process()` in-process: password vs code pair',
      head: ['login', 'commands/s', 'p50 µs', 'p99 µs'],
      rows: Object.entries(medians).map(([label, m]) => [
        label,
        num(m.rate),
        num(m.p50, 1),
        num(m.p99, 1),
      ]),
      checks: [atLeast('code pair / password commands/s', ratio, 0.9)],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `n` commands one after the other: the rate, and latency percentiles in µs. */
async function commands(pipeline, content, n) {
  const command = { channel: 'http', source: '127.0.0.1', content, timeoutSec: 30 };
  const latencies = new Float64Array(n);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const result = await pipeline.process(command);
    latencies[i] = (performance.now() - t0) * 1000;
    if (result.error !== undefined) throw new Error(`pipeline: ${result.combinedOutput}`);
  }
  const elapsed = performance.now() - started;
  latencies.sort();
  return {
    rate: (n / elapsed) * 1000,
    p50: median(latencies),
    p99: latencies[Math.min(n - 1, Math.floor(n * 0.99))],
  };
}
