/**
 * `.p` (Twilio call and SMS) and `.w` (WolframAlpha) end to end: the built CLI's `exec` and a
 * running daemon's http channel, against local fakes of Twilio's and WolframAlpha's APIs that
 * check the credentials as the real ones do. The secrets come from the environment through
 * `${ENV}`, and must show in no reply and no log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  INVALID_TO,
  startFakeTwilioApi,
  startFakeWolframAlpha,
  type FakeTwilioApi,
  type FakeWolframAlpha,
} from '@switchboard/core/testing';
import twilio from 'twilio';
import { configDir, RunningDaemon, runCli } from './harness.js';
import { postCommand } from './hostile/http-client.js';

const PASSWORD = 'service-apps-password';
const SID = `AC${'5f'.repeat(16)}`;
const TOKEN = 'twilio-token-e2e-93c1';
const APP_ID = 'WOLFRAM-E2E-7Q2X';
const FROM = '+15550009999';
const TO = '+15551230042';
const SECRETS = { SB_TWILIO_TOKEN: TOKEN, SB_WOLFRAM_APPID: APP_ID };

/** A config file whose `.p` and `.w` reach the fakes, with the secrets as `${ENV}`. */
function configFor(twilioApi: FakeTwilioApi, wolfram: FakeWolframAlpha): string {
  return configDir({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    http: { listen: '127.0.0.1:0' },
    apps: {
      phone: {
        accountSid: SID,
        authToken: '${SB_TWILIO_TOKEN}',
        from: FROM,
        apiRoot: twilioApi.url,
      },
      wolframAlpha: { appId: '${SB_WOLFRAM_APPID}', apiRoot: wolfram.url },
    },
  });
}

/** Fails if any secret shows in `text`. */
function assertNoSecret(text: string): void {
  for (const secret of [TOKEN, APP_ID, 'WRONG-TOKEN-1', 'WRONG-APPID-1']) {
    assert.equal(text.includes(secret), false, `"${secret}" leaked`);
  }
}

describe('.p and .w against local Twilio and WolframAlpha', () => {
  let twilioApi: FakeTwilioApi;
  let wolfram: FakeWolframAlpha;
  let config: string;
  before(async () => {
    twilioApi = await startFakeTwilioApi(SID, TOKEN);
    wolfram = await startFakeWolframAlpha(APP_ID);
    config = configFor(twilioApi, wolfram);
  });
  after(async () => {
    await twilioApi.close();
    await wolfram.close();
  });

  it('send an SMS, place a call and ask WolframAlpha through switchboard exec', async () => {
    const exec = (command: string, env: Record<string, string> = SECRETS) =>
      runCli(['exec', '-c', config, '--', `${PASSWORD} ${command}`], { env });
    const sms = await exec(`.p t ${TO} Running late`);
    assert.equal(sms.code, 0, sms.stderr);
    assert.match(sms.stdout, new RegExp(`^SMS to \\${TO}: message SM\\d{32}, queued\\n$`));
    assert.deepEqual(twilioApi.requests.at(-1)?.form, { To: TO, From: FROM, Body: 'Running late' });
    const call = await exec(`.p c ${TO} Call me`);
    assert.match(call.stdout, new RegExp(`^calling \\${TO}: call CA\\d{32}, queued\\n$`));
    assert.match(twilioApi.requests.at(-1)?.form.Twiml ?? '', /<Say>Call me<\/Say>/);
    const answer = await exec('.w pi');
    assert.match(answer.stdout, /^Input: π\nDecimal approximation: 3\.14159/);

    const bad = await exec('.p t 5551230042 hi');
    assert.deepEqual(
      [bad.code, bad.stdout],
      [
        1,
        '"5551230042" is not a phone number in E.164 form (+ and 8 to 15 digits, e.g. +15551234567)\n',
      ],
    );
    const wrong = await exec(`.p t ${TO} hi`, { ...SECRETS, SB_TWILIO_TOKEN: 'WRONG-TOKEN-1' });
    assert.equal(
      wrong.stdout,
      'Twilio refused the SMS: Authenticate (error 20003; check apps.phone.accountSid and apps.phone.authToken)\n',
    );
    const wrongId = await exec('.w pi', { ...SECRETS, SB_WOLFRAM_APPID: 'WRONG-APPID-1' });
    assert.match(wrongId.stdout, /^WolframAlpha refused the query: Invalid appid \(error 1;/);
    for (const run of [sms, call, answer, bad, wrong, wrongId])
      assertNoSecret(run.stdout + run.stderr);
  });

  it("send what twilio's own client sends, and get the answers it understands", async () => {
    // twilio-node cannot be given another API root; its HTTP client can be made to send there.
    const local = (): InstanceType<typeof twilio.RequestClient> => {
      const client = new twilio.RequestClient();
      const send = client.request.bind(client);
      client.request = (opts) =>
        send({ ...opts, uri: opts.uri.replace('https://api.twilio.com', twilioApi.url) });
      return client;
    };
    const client = twilio(SID, TOKEN, { httpClient: local() });
    const sent = await client.messages.create({ to: TO, from: FROM, body: 'Running late' });
    assert.match(sent.sid, /^SM\d{32}$/);
    const theirs = twilioApi.requests.at(-1);
    await runCli(['exec', '-c', config, '--', `${PASSWORD} .p t ${TO} Running late`], {
      env: SECRETS,
    });
    const ours = twilioApi.requests.at(-1);
    assert.deepEqual(
      [ours?.method, ours?.path, ours?.contentType, ours?.form],
      [theirs?.method, theirs?.path, theirs?.contentType, theirs?.form],
    );
    await assert.rejects(client.messages.create({ to: INVALID_TO, from: FROM, body: 'x' }), {
      status: 400,
      code: 21211,
    });
    const wrong = twilio(SID, 'WRONG-TOKEN-1', { httpClient: local() });
    await assert.rejects(wrong.api.v2010.accounts(SID).fetch(), { status: 401, code: 20003 });
    assert.equal((await client.api.v2010.accounts(SID).fetch()).status, 'active');
  });

  describe('a daemon', () => {
    let daemon: RunningDaemon;
    let url: string;
    before(async () => {
      daemon = new RunningDaemon(config, { env: SECRETS });
      url = await daemon.url();
    });
    after(async () => {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
      assertNoSecret(JSON.stringify(daemon.lines) + daemon.stderr);
    });

    it('self-tests both apps at start, quietly when they work', () => {
      assert.ok(twilioApi.requests.some((r) => r.path === `/2010-04-01/Accounts/${SID}.json`));
      assert.ok(wolfram.queries.some((q) => q.input === 'pi' && q.appid === APP_ID));
      assert.equal(daemon.lines.filter((l) => l.msg === 'app self-test failed').length, 0);
    });

    it('runs .p and .w from POST /api/command, failures as one-line errors', async () => {
      const call = await postCommand(url, `${PASSWORD} .p c ${TO} The server is down`);
      assert.equal(call.status, 200);
      assert.match(call.body.output ?? '', new RegExp(`^calling \\${TO}: call CA\\d{32}, queued$`));
      const refused = await postCommand(url, `${PASSWORD} .p t ${INVALID_TO} hi`);
      assert.deepEqual(refused.body, {
        ok: false,
        output: '',
        error: "Twilio refused the SMS: Invalid 'To' Phone Number: +15005550001 (error 21211)",
      });
      const answer = await postCommand(url, `${PASSWORD} .w pi`);
      assert.match(answer.body.output ?? '', /^Input: π\nDecimal approximation: 3\.14159/);
      const unknown = await postCommand(url, `${PASSWORD} .w pye`);
      assert.equal(
        unknown.body.error,
        'WolframAlpha did not understand the question; did you mean: pie?',
      );
    });
  });

  it('warns at start, without the secrets, when Twilio and WolframAlpha refuse them', async () => {
    const daemon = new RunningDaemon(config, {
      env: { SB_TWILIO_TOKEN: 'WRONG-TOKEN-1', SB_WOLFRAM_APPID: 'WRONG-APPID-1' },
    });
    try {
      await daemon.url();
      const reasons = daemon.lines
        .filter((l) => l.msg === 'app self-test failed')
        .map((l) => `${String(l.app)} ${String(l.reason)}`);
      assert.deepEqual(reasons, [
        '.p phone: Twilio refused the credentials: Authenticate (error 20003; check apps.phone.accountSid and apps.phone.authToken)',
        '.w wolframAlpha: WolframAlpha refused the query: Invalid appid (error 1; check apps.wolframAlpha.appId)',
      ]);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
    assertNoSecret(JSON.stringify(daemon.lines) + daemon.stderr);
  });
});
