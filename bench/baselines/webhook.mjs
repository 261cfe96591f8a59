// Peer for `shell-webhook` and `reject-webhook`: adnanh/webhook (Go; Debian package `webhook`) on
// 127.0.0.1:<argv[2]> with two hooks: /hooks/true runs `/bin/bash -c true` per request and
// answers with its output (`include-command-output-in-response`), the same work as `.s true`;
// /hooks/guarded has a trigger rule (an X-Token header) that a request without it fails, with
// 401, as a wrong password does. This launcher only writes the hooks file and hands its signals
// on; webhook is its only child.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hooks = join(mkdtempSync(join(tmpdir(), 'sb-bench-webhook-')), 'hooks.json');
writeFileSync(
  hooks,
  JSON.stringify([
    {
      id: 'true',
      'execute-command': '/bin/bash',
      'pass-arguments-to-command': [
        { source: 'string', name: '-c' },
        { source: 'string', name: 'true' },
      ],
      'include-command-output-in-response': true,
    },
    {
      id: 'guarded',
      'execute-command': '/bin/true',
      'trigger-rule': {
        match: {
          type: 'value',
          value: 'bench-token',
          parameter: { source: 'header', name: 'X-Token' },
        },
      },
      'trigger-rule-mismatch-http-response-code': 401,
    },
  ]),
);
const child = spawn('webhook', ['-hooks', hooks, '-ip', '127.0.0.1', '-port', process.argv[2]], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
