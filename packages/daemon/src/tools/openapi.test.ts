/**
 * The API's OpenAPI 3.1 document and Swagger UI (DESIGN §12): the document passes an OpenAPI
 * validator nobody here wrote, every operation it lists is called on the real daemon and answers
 * as documented, and Swagger UI renders it in Chromium from local files under the strict CSP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@switchboard/core/testing';
import { daemonPerSuite } from '../hostile/http-client.js';
import { namedCommandsConfig, PASSWORD } from './support.js';

const KEY = 'sbk_openapi-key-for-tests-0123456789';

interface Operation {
  readonly responses: Record<
    string,
    { content?: Record<string, { schema?: Record<string, unknown> }> }
  >;
}

/** A request that exercises each operation the document lists, by operation id. */
const CALLS: Readonly<Record<string, { path: string; init: RequestInit }>> = {
  runCommand: {
    path: '/api/command',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: `${PASSWORD} .s echo hi` }),
    },
  },
  listCommands: { path: '/api/commands', init: { headers: { authorization: `Bearer ${KEY}` } } },
  runNamedCommand: {
    path: '/api/commands/disk',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD, args: { path: '/' } }),
    },
  },
  openApi: { path: '/api/openapi.json', init: {} },
  health: { path: '/healthz', init: {} },
};

describe('the OpenAPI document', () => {
  const suite = daemonPerSuite(() =>
    namedCommandsConfig({
      apiKeys: { docs: { sha256: createHash('sha256').update(KEY).digest('hex') } },
      apps: { shell: { unrestricted: true } },
    }),
  );
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
  });

  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const doc: unknown = await (await fetch(`${suite.url}/api/openapi.json`)).json();
    const validator = new Validator();
    const result = await validator.validate(doc as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.equal(validator.version, '3.1');
  });

  it('lists only operations that answer as documented when called', async () => {
    const validator = new Validator();
    await validator.validate(
      (await (await fetch(`${suite.url}/api/openapi.json`)).json()) as Record<string, unknown>,
    );
    const doc = validator.resolveRefs() as { paths: Record<string, Record<string, Operation>> };
    const ajv = new Ajv({ allowUnionTypes: true, strict: false });
    const ids: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const id = (op as Operation & { operationId: string }).operationId;
        ids.push(id);
        const call = CALLS[id];
        assert.ok(call !== undefined, `no call for ${method} ${path}`);
        assert.equal(call.init.method ?? 'GET', method.toUpperCase(), id);
        const res = await fetch(`${suite.url}${call.path}`, call.init);
        const documented = op.responses[String(res.status)];
        assert.ok(documented !== undefined, `${id} answered ${res.status}, not documented`);
        const schema = documented.content?.['application/json']?.schema;
        if (schema !== undefined && Object.keys(schema).length > 0) {
          const body: unknown = await res.json();
          assert.ok(ajv.validate(schema, body), `${id}: ${ajv.errorsText()}`);
        }
        assert.equal(res.status, 200, id);
      }
    }
    assert.deepEqual(ids.sort(), Object.keys(CALLS).sort());
  });

  it('is shown by Swagger UI at /api/docs, from local files, with no CSP violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(suite.url)) foreign.push(request.url());
    });
    try {
      const res = await page.goto(`${suite.url}/api/docs`);
      assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
      await page.waitForSelector('.swagger-ui .info .title');
      assert.match(await page.innerText('.swagger-ui .info .title'), /Switchboard API/);
      await page.waitForSelector('.opblock');
      assert.equal(await page.locator('.opblock').count(), Object.keys(CALLS).length);
      assert.deepEqual(problems, []);
      assert.deepEqual(foreign, []);
    } finally {
      await page.close();
    }
  });
});
