// `npm start [-- -c FILE]`: compiles what changed (scripts/quick-build.mjs), then runs the daemon
// with config.example.json, or with the file given: `npm start -- -c config.json`.
import { fileURLToPath } from 'node:url';
import { quickBuild } from './quick-build.mjs';

const args = process.argv.slice(2);
const named = args.some((a) => a === '-c' || a === '--config' || a.startsWith('--config='));
if (!(await quickBuild())) process.exit(1);
const cli = new URL('../packages/daemon/dist/cli.js', import.meta.url);
// The CLI reads process.argv: make it what `switchboard run ...` would see.
process.argv = [
  process.argv[0] ?? process.execPath,
  fileURLToPath(cli),
  'run',
  ...(named ? args : ['-c', 'config.example.json', ...args]),
];
await import(cli.href);
