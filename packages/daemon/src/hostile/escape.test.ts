/**
 * Issue 11's reproductions against a running daemon: a `setsid` grandchild must not outlive the
 * time limit, and `.s env` must not show a secret the config took from the environment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '@switchboard/core/testing';
import { daemonPerSuite, postCommand } from './http-client.js';

const PASSWORD = 'escape-test-password';
const SECRET = 'relay-secret-7d2f9a';

/** Whether a live (not zombie) process runs exactly `argv`. */
function isRunning(argv: readonly string[]): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8') === `${argv.join('\0')}\0`) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

describe('hostile: commands that try to escape or read secrets', () => {
  // The daemon's environment, as a service manager would hand it the relay password.
  before(() => {
    process.env.SB_RELAY_PASS = SECRET;
    process.env.SB_HARMLESS = 'visible';
  });
  after(() => {
    delete process.env.SB_RELAY_PASS;
    delete process.env.SB_HARMLESS;
  });
  const suite = daemonPerSuite(() => ({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { shell: { unrestricted: true } },
    mail: {
      smtp: { host: '127.0.0.1', port: 1, auth: { user: 'u', pass: '${SB_RELAY_PASS}' } },
    },
    http: { listen: '127.0.0.1:0' },
  }));

  it('stops a setsid grandchild at the time limit', async () => {
    const seconds = String(7060 + Math.floor(Math.random() * 900));
    const answer = await postCommand(
      suite.url,
      `${PASSWORD} .plt 0 500 2 .s setsid sleep ${seconds} & sleep 30`,
    );
    assert.equal(answer.body.error, 'killed after 2s');
    await waitFor(`sleep ${seconds} to be gone`, () => !isRunning(['sleep', seconds]));
  });

  it('shows no ${ENV} value of the config, nor the daemon environment, to .s env', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .s env`);
    assert.equal(answer.status, 200);
    assert.ok(!(answer.body.output ?? '').includes(SECRET), answer.body.output);
    assert.ok(!(answer.body.output ?? '').includes('SB_HARMLESS'), answer.body.output);
    assert.match(answer.body.output ?? '', /PATH=/);
  });
});
