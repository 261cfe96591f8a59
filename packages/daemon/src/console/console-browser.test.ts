/**
 * The console in headless Chromium against the real daemon (DESIGN §13): log in, read the
 * status, run a command and see its output stream in, see the live log move, unban a source,
 * switch maintenance on through the confirm step, see the monitor's charts. Screenshots at desktop and phone width are
 * saved under test-artefacts/console/ (docs/console.md shows copies from docs/images/).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@switchboard/core/testing';
import { HeldCommand, REPO_ROOT } from '../harness.js';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { cliVersion } from '../version.js';
import { PASSWORD, consoleConfig } from './support.js';

/** Where the screenshots go. */
const ARTEFACTS = join(REPO_ROOT, 'test-artefacts', 'console');
/** A source the suite bans before the browser unbans it. */
const BANNED = '203.0.113.9';

/** Resolves once `selector`'s text includes `text` (playwright waits; the deadline is its own). */
async function textIn(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor();
}

describe('the console in headless Chromium', () => {
  const suite = daemonPerSuite(
    () => ({ ...consoleConfig(), monitor: {} }),
    async ({ url }) => {
      for (let i = 0; i < 3; i++) {
        await postCommand(url, `guess-${i} .s id`, { 'x-forwarded-for': BANNED });
      }
    },
  );
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser.close();
  });

  it('logs in and reads the status', async () => {
    await page.goto(`${suite.url}/console`);
    await page.fill('#credential', 'a wrong guess');
    await page.click('#login button[type=submit]');
    await textIn(page, '#login-error', 'invalid password or shortcut');
    await page.fill('#credential', PASSWORD);
    await page.click('#login button[type=submit]');
    await textIn(page, '#status-version', cliVersion());
    await textIn(page, '#channels td', `${suite.url}/`);
    assert.equal(await page.textContent('#status-maintenance'), 'off');
  });

  it('runs a command and shows its output as it streams in', async () => {
    const held = new HeldCommand();
    await page.fill('#command', `.s echo first; ${held.shell('second')}`);
    await page.click('#command-form button');
    // The command waits for the release: "first" can only be there while it runs.
    await textIn(page, '#output', 'first');
    assert.equal(await page.getAttribute('#output', 'class'), 'running');
    held.release();
    await page.locator('#output.ok').filter({ hasText: 'second' }).waitFor();
    await textIn(page, '#recent-list td', '.s echo first');
  });

  it('shows the live log as it is written', async () => {
    await postCommand(suite.url, `${PASSWORD} .s echo seen-in-the-live-log`);
    await textIn(page, '#log-lines li', 'seen-in-the-live-log');
    const log = (await page.textContent('#log-lines')) ?? '';
    assert.equal(log.includes(PASSWORD), false, 'the password reached the live log');
  });

  it("shows the monitor's charts, as images of this origin", async () => {
    const charts = page.locator('img.chart');
    await charts.nth(3).waitFor();
    assert.equal(await charts.count(), 4);
    // Every chart loaded and decoded (a string: this package's types have no DOM).
    await page.waitForFunction(
      "[...document.querySelectorAll('img.chart')].every((i) => i.complete && i.naturalWidth > 0)",
    );
    await page.selectOption('#chart-window', '24h');
    await page.locator('img.chart[alt="cpu, last 24h"]').waitFor();
  });

  it('unbans a source', async () => {
    const unban = page.locator(`button.unban[data-source="${BANNED}"]`);
    await unban.waitFor();
    await page.screenshot({ path: join(ARTEFACTS, 'desktop.png'), fullPage: true });
    await unban.click();
    await unban.waitFor({ state: 'detached' });
    const api = await postCommand(suite.url, `${PASSWORD} .s echo back`, {
      'x-forwarded-for': BANNED,
    });
    assert.equal(api.status, 200);
  });

  it('switches maintenance on only after the confirm step, and off again', async () => {
    await page.click('#maintenance-toggle');
    await page.click('#confirm-no');
    assert.equal(await page.textContent('#status-maintenance'), 'off');
    await page.click('#maintenance-toggle');
    await page.click('#confirm-yes');
    await textIn(page, '#status-maintenance', 'ON');
    const visitor = await postCommand(suite.url, `${PASSWORD} .s id`);
    assert.equal(visitor.status, 503);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTEFACTS, 'phone.png'), fullPage: true });
    await page.click('#maintenance-toggle');
    await page.click('#confirm-yes');
    await textIn(page, '#status-maintenance', 'off');
  });

  it('logs out', async () => {
    await page.click('#logout');
    await page.locator('#credential').waitFor();
    const state = await page.request.get(`${suite.url}/console/state`);
    assert.equal(state.status(), 401);
  });
});
