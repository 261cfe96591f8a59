// `npm run bench [-- --quick | --smoke] [--write-docs] [--json] [scenario ...]`: runs the
// scenarios one after the other (each starts and stops its own server and load processes),
// prints their medians, ratios and targets, and with --write-docs writes docs/benchmarks.md.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/daemon.mjs';
import { machine } from './lib/machine.mjs';
import { PROFILES } from './lib/profile.mjs';
import { renderDocs, renderResult } from './lib/docs.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean' },
    smoke: { type: 'boolean' },
    'write-docs': { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const mode = values.smoke === true ? 'smoke' : values.quick === true ? 'quick' : 'full';
const profile = PROFILES[mode];
const names = positionals.length === 0 ? SCENARIOS : positionals;
const unknown = names.filter((n) => !SCENARIOS.includes(n));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(' ')}; known: ${SCENARIOS.join(' ')}`);
  process.exit(2);
}

// With --json the results go to stdout as one JSON document; the progress goes to stderr.
const say = values.json === true ? console.error : console.log;
// The load before the run: other work on a shared machine moves every figure.
const measuredOn = machine();
const started = performance.now();
const results = [];
for (const name of names) {
  const t0 = performance.now();
  const { run } = await import(`./${name}.mjs`);
  const result = await run(profile);
  result.seconds = (performance.now() - t0) / 1000;
  results.push(result);
  say(`${renderResult(result)}\n(${result.seconds.toFixed(1)} s)\n`);
}
const totalSec = (performance.now() - started) / 1000;
say(`${mode} run: ${names.length} scenario(s) in ${totalSec.toFixed(0)} s`);
if (values.json === true) console.log(JSON.stringify({ mode, machine: measuredOn, results }));
if (values['write-docs'] === true) {
  const path = join(ROOT, 'docs/benchmarks.md');
  await writeFile(path, renderDocs({ mode, machine: measuredOn, results, totalSec }));
  say(`wrote ${path}`);
}
