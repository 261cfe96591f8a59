/**
 * The daemon composes every channel on one config: the web API, mail (swaks), Telegram in
 * webhook mode on the HTTP listener (with a local fake Bot API) and Twilio SMS (signed with
 * twilio's own code), all through one pipeline and one set of bans.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { startMailSink, type MailSink } from '@switchboard/core/testing';
import twilio from 'twilio';
import { configDir, fakeBotApi, RunningDaemon, until, type SentMessage } from './harness.js';

const PASSWORD = 'all-channels-password';
const TOKEN = '123456:all-channels-token';
const SECRET = 'all-channels-webhook-secret';
const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const PUBLIC_URL = 'https://sb.example.com';

const listening = async (
  server: { listen(port: number, host: string): unknown },
  emitter: NetServer,
) => {
  server.listen(0, '127.0.0.1');
  await once(emitter, 'listening');
  return (emitter.address() as AddressInfo).port;
};

describe('every channel in one daemon', () => {
  const sent: SentMessage[] = [];
  const botApi = fakeBotApi(sent, `${PUBLIC_URL}/tg`);
  let relay: MailSink;
  let daemon: RunningDaemon;
  let http = '';
  let smtpPort = 0;

  before(async () => {
    const apiPort = await listening(botApi, botApi);
    relay = await startMailSink();
    daemon = new RunningDaemon(
      configDir({
        filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
        apps: { shell: { unrestricted: true } },
        mail: { smtp: { host: '127.0.0.1', port: relay.port }, from: 'sb@sb.test' },
        http: { listen: '127.0.0.1:0' },
        smtp: { listen: '127.0.0.1:0', myDomains: ['sb.test'], forwardTo: ['owner@home.test'] },
        telegram: {
          token: TOKEN,
          apiRoot: `http://127.0.0.1:${apiPort}`,
          webhook: { path: '/tg', secretToken: SECRET },
        },
        twilio: { authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL },
      }),
    );
    http = await daemon.url();
    const smtp = await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
    smtpPort = Number(/:(\d+)$/.exec(String(smtp.address))?.[1]);
    await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'telegram');
    await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'twilio');
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exit(), 0);
    botApi.close();
    await relay.close();
  });

  it('logs one listening line per channel, with its address and what it accepts', () => {
    const listening = daemon.lines.filter((l) => l.msg === 'listening');
    assert.deepEqual(listening.map((l) => l.channel).sort(), [
      'http',
      'smtp',
      'telegram',
      'twilio',
    ]);
    const smtp = listening.find((l) => l.channel === 'smtp');
    assert.ok(smtp);
    assert.match(String(smtp.address), /^smtp:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(smtp.myDomains, ['sb.test']);
    assert.deepEqual(smtp.forwardTo, ['owner@home.test']);
    const telegram = listening.find((l) => l.channel === 'telegram');
    assert.equal(telegram?.address, 'webhook /tg as @sb_bot');
  });

  it('answers the JSON API', async () => {
    const res = await fetch(`${http}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: `${PASSWORD} .s echo web` }),
    });
    assert.deepEqual(await res.json(), { ok: true, output: 'web', error: null });
  });

  it('answers a command mail sent with swaks, through the relay', async () => {
    await new Promise<void>((resolve, reject) => {
      execFile(
        'swaks',
        [
          '--server',
          '127.0.0.1',
          '--port',
          String(smtpPort),
          '--from',
          'me@home.test',
          '--to',
          'cmd@sb.test',
          '--header',
          'Subject: run this',
          '--body',
          `${PASSWORD} .s echo by mail`,
        ],
        (error) => {
          if (error === null) resolve();
          else reject(new Error(error.message));
        },
      );
    });
    const reply = await until('the reply mail', () =>
      relay.received.find((m) => m.includes('Subject: Re: run this')),
    );
    assert.match(reply, /^To: me@home\.test/m);
    assert.match(reply, /by mail/);
  });

  it('answers a Telegram update posted to the webhook with the secret', async () => {
    const update = {
      update_id: 7,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000) + 5,
        chat: { id: 4242, type: 'private' },
        from: { id: 4242, is_bot: false, first_name: 'Me' },
        text: `${PASSWORD} .s echo by telegram`,
      },
    };
    const refused = await fetch(`${http}/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify(update),
    });
    assert.equal(refused.status, 403);
    const res = await fetch(`${http}/tg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await until('the telegram reply', () => sent.find((m) => m.chatId === 4242)), {
      chatId: 4242,
      text: 'by telegram',
    });
  });

  it('answers a signed SMS and refuses an unsigned one', async () => {
    const params = { From: '+15550001111', To: '+15559990000', Body: `${PASSWORD} .s echo by sms` };
    const signature = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_URL}/twilio/sms`,
      params,
    );
    const post = (headers: Record<string, string>) =>
      fetch(`${http}/twilio/sms`, { method: 'POST', headers, body: new URLSearchParams(params) });
    assert.equal((await post({})).status, 403);
    const res = await post({ 'x-twilio-signature': signature });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<Message>by sms<\/Message>/);
  });
});
