/**
 * Issue 11's reproductions against a running daemon: a `setsid` grandchild, even a double-forked
 * one, must not outlive the time limit, 1,000 commands leave no child or zombie behind, and
 * `.s env` must not show a secret the config took from the environment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '@switchboard/core/testing';
import { daemonPerSuite, pool, postCommand } from './http-client.js';

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

/** The children of `pid` as /proc lists them, zombies included (state "Z"). */
function childrenOf(pid: number): { pid: number; state: string; comm: string }[] {
  const found: { pid: number; state: string; comm: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state = '', ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(ppid) === pid) found.push({ pid: Number(name), state, comm });
    } catch {
      // gone meanwhile
    }
  }
  return found;
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
    http: { listen: '127.0.0.1:0', rateLimit: { requests: 100_000, perSec: 1 } },
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

  it('stops a double-forked setsid grandchild (its parent gone) at the time limit', async () => {
    const seconds = String(7060 + Math.floor(Math.random() * 900));
    const answer = await postCommand(
      suite.url,
      `${PASSWORD} .plt 0 500 2 .s (setsid sleep ${seconds} &); sleep 30`,
    );
    assert.equal(answer.body.error, 'killed after 2s');
    await waitFor(`sleep ${seconds} to be gone`, () => !isRunning(['sleep', seconds]));
  });

  it('leaves no child and no zombie after 1,000 commands, some killed at the limit', async () => {
    const outcomes: string[] = [];
    await pool(1000, 20, async (i) => {
      const command = i % 50 === 0 ? '.plt 0 500 1 .s echo -n slow; sleep 30' : `.s echo -n ${i}`;
      const answer = await postCommand(suite.url, `${PASSWORD} ${command}`);
      outcomes.push(
        answer.body.error === 'killed after 1s' ? 'killed' : (answer.body.output ?? ''),
      );
    });
    assert.equal(outcomes.filter((o) => o === 'killed').length, 20);
    assert.equal(outcomes.filter((o) => /^\d+$/.test(o)).length, 980);
    const pid = suite.daemon.child.pid ?? 0;
    assert.deepEqual(childrenOf(pid), []);
  });

  it('shows no ${ENV} value of the config, nor the daemon environment, to .s env', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .s env`);
    assert.equal(answer.status, 200);
    assert.ok(!(answer.body.output ?? '').includes(SECRET), answer.body.output);
    assert.ok(!(answer.body.output ?? '').includes('SB_HARMLESS'), answer.body.output);
    assert.match(answer.body.output ?? '', /PATH=/);
  });
});
