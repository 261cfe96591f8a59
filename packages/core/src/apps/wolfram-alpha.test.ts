import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../config/load.js';
import { testConfig, testRig } from '../harness.js';
import { deadPort, HTML_INPUT, startFakeWolframAlpha, type FakeWolframAlpha } from '../testing.js';
import { APPS } from './registry.js';
import { wolframAlphaApp, wolframTimeouts } from './wolfram-alpha.js';

const PASSWORD = 'wolfram-app-password';
const APP_ID = 'DEMO-APPID-42';

/** A pipeline whose `.w` asks `apiRoot` with `appId`. */
function rigFor(apiRoot: string, appId = APP_ID) {
  return testRig({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { wolframAlpha: { appId, apiRoot } },
  });
}

describe('.w WolframAlpha', () => {
  let wolfram: FakeWolframAlpha;
  before(async () => (wolfram = await startFakeWolframAlpha(APP_ID)));
  after(() => wolfram.close());

  it('is enabled only when apps.wolframAlpha is set', () => {
    assert.equal(wolframAlphaApp.isConfigured(testConfig({})), false);
    const config = testConfig({ apps: { wolframAlpha: { appId: APP_ID } } });
    assert.equal(wolframAlphaApp.isConfigured(config), true);
    assert.equal(config.apps.wolframAlpha.apiRoot, 'https://api.wolframalpha.com');
  });

  it('requires the AppID once apps.wolframAlpha is there', () => {
    const parse = (wolframAlpha: unknown) =>
      parseConfig(JSON.stringify({ apps: { wolframAlpha } }), { apps: APPS, env: {} });
    assert.deepEqual(parse({ apiRoot: 'http://127.0.0.1:1' }), {
      ok: false,
      errors: ['apps.wolframAlpha.appId: is required'],
    });
  });

  it("answers with each pod's title and text", async () => {
    const result = await rigFor(wolfram.url).run(`${PASSWORD} .w pi`, { timeoutSec: 30 });
    assert.equal(result.error, undefined);
    assert.match(result.output, /^Input: π\nDecimal approximation: 3\.14159/);
  });

  it("asks for plain text in JSON, WolframAlpha's limits cut from the command's (laitos' shares)", async () => {
    await rigFor(wolfram.url).run(`${PASSWORD} .w pi`, { timeoutSec: 30 });
    assert.deepEqual(wolfram.queries.at(-1), {
      appid: APP_ID,
      input: 'pi',
      format: 'plaintext',
      output: 'json',
      scantimeout: '4',
      podtimeout: '6',
      formattimeout: '12',
      parsetimeout: '7',
      totaltimeout: '28',
      reinterpret: 'true',
      translation: 'true',
      ignorecase: 'true',
    });
    assert.deepEqual(wolframTimeouts(1), {
      scantimeout: '2',
      podtimeout: '2',
      formattimeout: '4',
      parsetimeout: '3',
      totaltimeout: '2',
    });
  });

  it('says it did not understand a question, and that a wrong AppID was refused', async () => {
    const rig = rigFor(wolfram.url);
    const unknown = await rig.run(`${PASSWORD} .w pye & "chips"?`);
    assert.equal(
      unknown.combinedOutput,
      'WolframAlpha did not understand the question; did you mean: pie?',
    );
    assert.equal(wolfram.queries.at(-1)?.input, 'pye & "chips"?');
    const wrong = 'WRONG-APPID-17';
    const refused = rigFor(wolfram.url, wrong);
    const result = await refused.run(`${PASSWORD} .w pi`);
    assert.equal(
      result.combinedOutput,
      'WolframAlpha refused the query: Invalid appid (error 1; check apps.wolframAlpha.appId)',
    );
    assert.ok(refused.logs.length > 0);
    assert.equal(refused.logs.join('\n').includes(wrong), false);
  });

  it('answers an empty question with its usage, and an answer that is not JSON in one line', async () => {
    const rig = rigFor(wolfram.url);
    assert.equal((await rig.run(`${PASSWORD} .w`)).combinedOutput, 'usage: .w QUESTION');
    assert.equal(
      (await rig.run(`${PASSWORD} .w ${HTML_INPUT}`)).combinedOutput,
      'WolframAlpha answered with something that is not JSON',
    );
    const port = await deadPort();
    assert.match(
      (await rigFor(`http://127.0.0.1:${port}`).run(`${PASSWORD} .w pi`)).combinedOutput,
      new RegExp(`^cannot reach WolframAlpha at 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`),
    );
    assert.equal(
      (await rigFor(`${wolfram.url}/elsewhere`).run(`${PASSWORD} .w pi`)).combinedOutput,
      'WolframAlpha answered HTTP 404: <html><body>Not found</body></html>',
    );
  });

  it('gives up at the timeout when WolframAlpha does not answer', async () => {
    const silent = await startFakeWolframAlpha(APP_ID);
    silent.hang();
    try {
      const started = Date.now();
      const result = await rigFor(silent.url).run(`${PASSWORD} .w pi`, { timeoutSec: 1 });
      assert.equal(result.combinedOutput, 'timed out after 1s');
      assert.ok(Date.now() - started < 1900, `${Date.now() - started} ms`);
    } finally {
      await silent.close();
    }
  });

  it('self-tests by asking "pi", and says why it fails without the AppID', async () => {
    const config = (appId: string) =>
      testConfig({ apps: { wolframAlpha: { appId, apiRoot: wolfram.url } } });
    await wolframAlphaApp.selfTest?.(config(APP_ID));
    assert.equal(wolfram.queries.at(-1)?.input, 'pi');
    const wrong = 'WRONG-APPID-99';
    await assert.rejects(wolframAlphaApp.selfTest?.(config(wrong)) ?? Promise.resolve(), (err) => {
      assert.ok(err instanceof Error);
      assert.equal(
        err.message,
        'wolframAlpha: WolframAlpha refused the query: Invalid appid (error 1; check apps.wolframAlpha.appId)',
      );
      return true;
    });
  });
});
