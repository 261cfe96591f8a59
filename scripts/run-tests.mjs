// `npm test`'s last step: every compiled test (packages/*/dist/) and bench/'s own, through
// node:test, two files at a time, with TMPDIR set to a folder of this run's own that is removed
// when the run ends. The suites make a few hundred temporary folders (configs, outboxes, banks,
// a dovecot or redis's data); they go with it, so runs do not pile them up in /tmp.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = [
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/dist/`),
  'bench/',
];
const runDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
// As /tmp is: tests run daemons and dovecot as other users, who must reach their own files.
chmodSync(runDir, 0o1777);
const tests = spawn(process.execPath, ['--test', '--test-concurrency=2', ...targets], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: runDir },
});
// Ctrl-C reaches the runner too (same process group); wait for it to finish its cleanup.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => tests.kill(signal));
tests.on('exit', (code, signal) => {
  rmSync(runDir, { recursive: true, force: true });
  process.exit(code ?? (signal === null ? 1 : 128));
});
