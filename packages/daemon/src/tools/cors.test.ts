/**
 * CORS (DESIGN §12, `http.cors.origins`): a page on an allowed origin may call the API with a
 * Bearer key, preflight and all, in a real browser; a page on another origin may not.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { curl, launchChromium } from '@switchboard/core/testing';
import { daemonPerSuite } from '../hostile/http-client.js';
import { namedCommandsConfig } from './support.js';

const KEY = 'sbk_cors-key-for-tests-0123456789';

/** A page server on loopback: each origin is a port of its own. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('CORS', () => {
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let browser: Browser;
  before(async () => {
    allowed = await pageServer();
    other = await pageServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    allowed.server.close();
    other.server.close();
  });
  const suite = daemonPerSuite(() =>
    namedCommandsConfig({
      http: { listen: '127.0.0.1:0', cors: { origins: [allowed.origin] } },
      apiKeys: { page: { sha256: createHash('sha256').update(KEY).digest('hex') } },
    }),
  );

  /** What a page on `origin` gets when it fetches the command list with the key. */
  async function fetchFrom(origin: string): Promise<unknown> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ([url, key]) => {
          try {
            const res = await fetch(`${url}/api/commands`, {
              headers: { authorization: `Bearer ${key}` },
            });
            return { status: res.status, body: await res.json() };
          } catch (error) {
            return { failed: String(error) };
          }
        },
        [suite.url, KEY] as const,
      );
    } finally {
      await page.close();
    }
  }

  it('lets a page on an allowed origin call the API with a key (Chromium)', async () => {
    const got = (await fetchFrom(allowed.origin)) as {
      status: number;
      body: { commands: unknown[] };
    };
    assert.equal(got.status, 200);
    assert.ok(got.body.commands.length > 0);
  });

  it('keeps the answer from a page on another origin (Chromium)', async () => {
    assert.deepEqual(await fetchFrom(other.origin), { failed: 'TypeError: Failed to fetch' });
  });

  it('answers a preflight 204 for an allowed origin and 403 for another (curl)', async () => {
    const preflight = (origin: string): Promise<{ status: number; body: string }> =>
      curl([
        '-X',
        'OPTIONS',
        '-D',
        '-',
        '-H',
        `Origin: ${origin}`,
        '-H',
        'Access-Control-Request-Method: POST',
        '-H',
        'Access-Control-Request-Headers: authorization, content-type',
        `${suite.url}/api/command`,
      ]);
    const yes = await preflight(allowed.origin);
    assert.equal(yes.status, 204);
    assert.match(yes.body, /access-control-allow-methods: GET, POST/i);
    assert.match(yes.body, /access-control-allow-headers: Authorization, Content-Type, Accept/i);
    const no = await preflight(other.origin);
    assert.equal(no.status, 403);
    assert.doesNotMatch(no.body, /access-control-allow/i);
  });
});
