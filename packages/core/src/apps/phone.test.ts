import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../config/load.js';
import { testConfig, testRig } from '../harness.js';
import { deadPort, INVALID_TO, startFakeTwilioApi, type FakeTwilioApi } from '../testing.js';
import { MAX_TWIML_CHARS, phoneApp } from './phone.js';
import { APPS } from './registry.js';

const PASSWORD = 'phone-app-password';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'the-auth-token-0b5e';
const FROM = '+15550001111';
const TO = '+15551230000';

/** A pipeline whose `.p` talks to `apiRoot` with `token`. */
function rigFor(apiRoot: string, token = TOKEN) {
  return testRig({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { phone: { accountSid: SID, authToken: token, from: FROM, apiRoot } },
  });
}

describe('.p phone', () => {
  let twilio: FakeTwilioApi;
  before(async () => (twilio = await startFakeTwilioApi(SID, TOKEN)));
  after(() => twilio.close());

  it('is enabled only when apps.phone is set', () => {
    assert.equal(phoneApp.isConfigured(testConfig({})), false);
    const config = testConfig({
      apps: { phone: { accountSid: SID, authToken: TOKEN, from: FROM } },
    });
    assert.equal(phoneApp.isConfigured(config), true);
    assert.equal(config.apps.phone.apiRoot, 'https://api.twilio.com');
  });

  it('has its config checked whole: all three credentials, each in its form', () => {
    const parse = (phone: unknown) =>
      parseConfig(JSON.stringify({ apps: { phone } }), { apps: APPS, env: { TOKEN } });
    const ok = parse({ accountSid: SID, authToken: '${TOKEN}', from: FROM });
    assert.equal(ok.ok && ok.config.apps.phone.authToken, TOKEN);
    const bad = parse({ accountSid: 'AC123', from: '5550001111', apiRoot: 'ftp://x' });
    assert.deepEqual(bad.ok ? [] : [...bad.errors].sort(), [
      'apps.phone.accountSid: must be AC and 32 hex digits',
      'apps.phone.apiRoot: must be an http:// or https:// URL',
      'apps.phone.authToken: is required',
      'apps.phone.from: must be a phone number in E.164 form, e.g. +15551234567',
    ]);
  });

  it('sends an SMS through Messages.json and says so with its SID', async () => {
    const result = await rigFor(twilio.url).run(`${PASSWORD} .p t ${TO} Running late, 8pm`);
    assert.equal(result.error, undefined);
    assert.match(result.output, new RegExp(`^SMS to \\${TO}: message SM0{31}\\d, queued$`));
    assert.deepEqual(twilio.requests.at(-1), {
      method: 'POST',
      path: `/2010-04-01/Accounts/${SID}/Messages.json`,
      contentType: 'application/x-www-form-urlencoded',
      form: { To: TO, From: FROM, Body: 'Running late, 8pm' },
    });
  });

  it('places a call whose inline TwiML says the message three times, XML-escaped', async () => {
    const result = await rigFor(twilio.url).run(`${PASSWORD} .p C ${TO} Gate <5> & "B"`);
    assert.match(result.output, new RegExp(`^calling \\${TO}: call CA0{31}\\d, queued$`));
    const request = twilio.requests.at(-1);
    assert.equal(request?.path, `/2010-04-01/Accounts/${SID}/Calls.json`);
    const say = '<Say>Gate &lt;5&gt; &amp; "B"</Say>';
    assert.deepEqual(request.form, {
      To: TO,
      From: FROM,
      Twiml: `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}<Pause length="1"/>${say}</Response>`,
    });
  });

  it('says a long message once, and refuses one too long for any call before calling', async () => {
    const rig = rigFor(twilio.url);
    const long = 'x'.repeat(2000);
    await rig.run(`${PASSWORD} .p c ${TO} ${long}`);
    assert.equal(twilio.requests.at(-1)?.form.Twiml?.split('<Say>').length, 2);
    const count = twilio.requests.length;
    const result = await rig.run(`${PASSWORD} .p c ${TO} ${'x'.repeat(MAX_TWIML_CHARS)}`);
    assert.equal(
      result.combinedOutput,
      'message too long for a call: Twilio takes at most 4000 characters of TwiML',
    );
    assert.equal(twilio.requests.length, count);
  });

  it('refuses a malformed number or command in one line, sending nothing', async () => {
    const rig = rigFor(twilio.url);
    const count = twilio.requests.length;
    const bad = await rig.run(`${PASSWORD} .p t 5551230000 hello`);
    assert.equal(
      bad.combinedOutput,
      '"5551230000" is not a phone number in E.164 form (+ and 8 to 15 digits, e.g. +15551234567)',
    );
    const usage = await rig.run(`${PASSWORD} .p ${TO} hello`);
    assert.match(usage.combinedOutput, /^usage: \.p c \+NUMBER MESSAGE/);
    assert.equal(twilio.requests.length, count);
  });

  it("turns Twilio's refusal into one line with its message and code", async () => {
    const result = await rigFor(twilio.url).run(`${PASSWORD} .p t ${INVALID_TO} hello`);
    assert.equal(
      result.combinedOutput,
      "Twilio refused the SMS: Invalid 'To' Phone Number: +15005550001 (error 21211)",
    );
  });

  it('says a wrong token was refused, and never shows or logs the token', async () => {
    const wrong = 'wrong-token-7f3a';
    const rig = rigFor(twilio.url, wrong);
    const result = await rig.run(`${PASSWORD} .p c ${TO} hello`);
    assert.equal(
      result.combinedOutput,
      'Twilio refused the call: Authenticate (error 20003; check apps.phone.accountSid and apps.phone.authToken)',
    );
    assert.ok(rig.logs.length > 0);
    assert.equal(rig.logs.join('\n').includes(wrong), false);
  });

  it('says when Twilio cannot be reached', async () => {
    const port = await deadPort();
    const result = await rigFor(`http://127.0.0.1:${port}`).run(`${PASSWORD} .p t ${TO} hello`);
    assert.match(
      result.combinedOutput,
      new RegExp(`^cannot reach Twilio at 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`),
    );
  });

  it('gives up at the timeout when Twilio does not answer', async () => {
    const silent = await startFakeTwilioApi(SID, TOKEN);
    silent.hang();
    try {
      const started = Date.now();
      const result = await rigFor(silent.url).run(`${PASSWORD} .p t ${TO} hello`, {
        timeoutSec: 1,
      });
      assert.equal(result.combinedOutput, 'timed out after 1s');
      // Aborted at the timeout, not abandoned after the grace period.
      assert.ok(Date.now() - started < 1900, `${Date.now() - started} ms`);
      assert.equal(silent.requests.length, 1);
    } finally {
      await silent.close();
    }
  });

  it('self-tests by reading the account, and says why it fails without the token', async () => {
    const config = (apiRoot: string, authToken: string) =>
      testConfig({ apps: { phone: { accountSid: SID, authToken, from: FROM, apiRoot } } });
    await phoneApp.selfTest?.(config(twilio.url, TOKEN));
    assert.equal(twilio.requests.at(-1)?.path, `/2010-04-01/Accounts/${SID}.json`);
    await assert.rejects(
      phoneApp.selfTest?.(config(twilio.url, 'nope-token')) ?? Promise.resolve(),
      {
        message:
          'phone: Twilio refused the credentials: Authenticate (error 20003; check apps.phone.accountSid and apps.phone.authToken)',
      },
    );
  });
});
