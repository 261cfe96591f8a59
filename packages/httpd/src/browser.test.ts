/**
 * A real browser on the form page: headless Chromium (Debian's /usr/bin/chromium, installed by
 * `npm test` when missing) driven by playwright-core.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@switchboard/core/testing';
import { APPS, bootstrap, createConfigLoader, type ChannelHandle } from '@switchboard/core';
import { createHttpChannel } from './http-channel.js';

const PASSWORD = 'browser-test-password';

describe('the form page in headless Chromium', () => {
  let browser: Browser;
  let handle: ChannelHandle;

  before(async () => {
    const loaded = createConfigLoader(APPS).parse(
      JSON.stringify({
        filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
        apps: { shell: { unrestricted: true } },
        http: { listen: '127.0.0.1:0' },
      }),
      { env: {} },
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const { runtime } = bootstrap(loaded.config, {
      logDestination: { write: () => undefined },
      baseDir: mkdtempSync(`${tmpdir()}/sb-browser-`),
    });
    handle = await createHttpChannel(runtime).listen();
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await handle.close();
  });

  it('types a command, submits, and reads the escaped result', async () => {
    const page = await browser.newPage();
    await page.goto(handle.address);
    assert.equal(await page.title(), 'Invoke app command');
    assert.equal(await page.getAttribute('#cmd', 'type'), 'password');
    await page.fill('#cmd', `${PASSWORD} .s echo '<b>bold</b> & done'`);
    await Promise.all([page.waitForURL(handle.address), page.click('input[type=submit]')]);
    assert.equal(await page.textContent('#result'), '<b>bold</b> & done');
    assert.equal(await page.locator('b').count(), 0);
    // The field is empty again: the password is not echoed back into the page.
    assert.equal(await page.inputValue('#cmd'), '');
    await page.close();
  });

  it('works with JavaScript turned off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(handle.address);
    await page.fill('#cmd', 'wrong password');
    await Promise.all([page.waitForURL(handle.address), page.press('#cmd', 'Enter')]);
    assert.equal(await page.textContent('#result'), 'invalid password or shortcut');
    await context.close();
  });
});
