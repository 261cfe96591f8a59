/**
 * `.b` message bank and `.c` contacts in the real daemon, driven from outside: posts over the
 * HTTP API (fetch and curl), 30 at once; a read over the Telegram webhook (a local fake Bot
 * API); a stranger's text over the Twilio webhook (signed with twilio's own code), kept;
 * `switchboard exec` beside the running daemon; and a second daemon on the same config that
 * reads what the first one kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { curl } from '@switchboard/core/testing';
import twilio from 'twilio';
import {
  configDir,
  fakeBotApi,
  RunningDaemon,
  runCli,
  until,
  type SentMessage,
} from './harness.js';
import { postCommand } from './hostile/http-client.js';

const PASSWORD = 'message-bank-e2e-password';
const SECRET = 'message-bank-webhook-secret';
const AUTH_TOKEN = 'twilio-auth-token-for-the-bank';
const PUBLIC_URL = 'https://sb.example.com';
const OWNER_CHAT = 4343;

describe('the message bank and contacts in a running daemon', () => {
  const sent: SentMessage[] = [];
  const botApi = fakeBotApi(sent, `${PUBLIC_URL}/tg`);
  let configPath = '';
  let daemon: RunningDaemon;
  let http = '';
  /** Runs `.b INPUT` (or any app) over the HTTP API from a source of its own. */
  const api = async (input: string, n = 1) =>
    (await postCommand(http, `${PASSWORD} ${input}`, { 'x-forwarded-for': `192.0.2.${n}` })).body;
  const exec = (input: string) => runCli(['exec', '-c', configPath, '--', `${PASSWORD} ${input}`]);

  before(async () => {
    botApi.listen(0, '127.0.0.1');
    await once(botApi, 'listening');
    configPath = configDir({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: {
        messageBank: { enabled: true, keepIncoming: ['sms'] },
        contacts: {
          entries: {
            'Coast guard': { phone: '+44 344 382 0902', note: '24h' },
            Alice: { email: 'alice@example.com' },
          },
        },
      },
      http: { listen: '127.0.0.1:0', trustProxy: ['127.0.0.1'] },
      telegram: {
        token: '123456:bank-token',
        apiRoot: `http://127.0.0.1:${(botApi.address() as AddressInfo).port}`,
        webhook: { path: '/tg', secretToken: SECRET },
      },
      twilio: { authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL },
    });
    daemon = new RunningDaemon(configPath);
    http = await daemon.url();
    await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'twilio');
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exit();
    botApi.close();
  });

  it('keeps a post over HTTP that Telegram then reads', async () => {
    assert.deepEqual(await api('.b post gone fishing, back at 6'), {
      ok: true,
      output: 'kept as #1 (1 of at most 100)',
      error: null,
    });
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000) + 5,
        chat: { id: OWNER_CHAT, type: 'private' },
        from: { id: OWNER_CHAT, is_bot: false, first_name: 'Me' },
        text: `${PASSWORD} .b read 1`,
      },
    };
    const res = await fetch(`${http}/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    assert.equal(res.status, 200);
    const reply = await until('the telegram reply', () =>
      sent.find((m) => m.chatId === OWNER_CHAT),
    );
    assert.match(String(reply.text), /^#1 \S+Z http 192\.0\.2\.1: gone fishing, back at 6$/);
  });

  it('keeps its messages in files only the daemon user can read', () => {
    const dir = join(dirname(configPath), 'data', 'message-bank');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const name of readdirSync(dir)) {
      assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    }
  });

  it('loses none of 30 posts sent at once from different sources', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api(`.b post at-once-${i}`, 10 + i)),
    );
    assert.ok(answers.every((a) => a.ok === true && /^kept as #\d+/.test(a.output ?? '')));
    const numbers = answers.map((a) => /#(\d+)/.exec(a.output ?? '')?.[1]);
    assert.equal(new Set(numbers).size, 30);
    const listed = await curl([
      '-H',
      'content-type: application/json',
      '-d',
      JSON.stringify({ command: `${PASSWORD} .b list 100` }),
      `${http}/api/command`,
    ]);
    assert.equal(listed.status, 200);
    const output = (JSON.parse(listed.body) as { output: string }).output;
    for (let i = 0; i < 30; i++) assert.match(output, new RegExp(`: at-once-${i}$`, 'm'));
  });

  it("keeps a stranger's text to the Twilio number, which switchboard exec then reads", async () => {
    const params = { From: '+15550009999', To: '+15559990000', Body: 'Call me about the boat' };
    const signature = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_URL}/twilio/sms`,
      params,
    );
    const res = await fetch(`${http}/twilio/sms`, {
      method: 'POST',
      headers: { 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });
    assert.match(await res.text(), /<Response\/>$/, 'not answered');
    const run = await exec('.b list 1');
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^#32 \S+Z twilio \+15550009999: Call me about the boat\n\.\.\. and 31 older\n$/,
    );
    assert.ok(daemon.lines.every((l) => !JSON.stringify(l).includes('about the boat')));
  });

  it('takes a post from switchboard exec beside the daemon, and a delete over HTTP', async () => {
    const run = await exec('.b post from the command line');
    assert.equal(run.stdout, 'kept as #33 (33 of at most 100)\n');
    assert.match((await api('.b read 33')).output ?? '', /cli: from the command line$/);
    assert.equal((await api('.b delete 33')).output, 'deleted #33');
    assert.equal((await exec('.b read 33')).stdout, 'no message #33\n');
  });

  it('searches contacts through exec and HTTP', async () => {
    assert.equal((await exec('.c alice')).stdout, 'Alice: alice@example.com\n');
    assert.equal((await api('.c 24H')).output, 'Coast guard: +44 344 382 0902, 24h');
    assert.deepEqual(await api('.c nobody'), {
      ok: false,
      output: '',
      error: 'no contact matches "nobody" (2 contacts; .c lists them)',
    });
  });

  it('keeps what it stored across a restart', async () => {
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exit(), 0);
    daemon = new RunningDaemon(configPath);
    http = await daemon.url();
    assert.match((await api('.b read 1')).output ?? '', /: gone fishing, back at 6$/);
    assert.match((await api('.b list 1')).output ?? '', /^#32 /);
  });
});

describe('a message bank whose directory cannot be written', () => {
  it('warns at start, and each .b says so in one line', async () => {
    const configPath = configDir({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { messageBank: { enabled: true, directory: 'blocked/bank' } },
      http: { listen: '127.0.0.1:0' },
    });
    writeFileSync(join(dirname(configPath), 'blocked'), 'a file, not a directory');
    const daemon = new RunningDaemon(configPath);
    try {
      const warning = await daemon.waitFor((l) => l.msg === 'app self-test failed');
      assert.equal(warning.app, '.b');
      assert.match(
        String(warning.reason),
        /^message bank: cannot write directory .*\/blocked\/bank \(ENOTDIR\)$/,
      );
      const answer = await postCommand(await daemon.url(), `${PASSWORD} .b post hello`);
      assert.equal(
        answer.body.error,
        'the message bank cannot be used (ENOTDIR); see apps.messageBank.directory',
      );
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });
});
