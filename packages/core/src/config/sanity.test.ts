import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPS } from '../apps/registry.js';
import { applyDefaults } from './defaults.js';
import { hashKey } from '../auth/api-keys.js';
import { checkSanity, EXAMPLE_API_KEY, EXAMPLE_PASSWORD, isLoopbackListen } from './sanity.js';

const PASSWORD = 'correct-horse';

describe('checkSanity', () => {
  it('lets anything through on loopback, even without a password', () => {
    const config = applyDefaults(
      {
        http: { listen: '127.0.0.1:8080' },
        smtp: { listen: '[::1]:2525', myDomains: ['x'] },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(config), []);
  });

  it('lets the example password through on loopback', () => {
    const config = applyDefaults(
      {
        filters: { pinAndShortcuts: { passwords: [EXAMPLE_PASSWORD] } },
        http: { listen: 'localhost:8080' },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(config), []);
  });

  it('wants a password and a bounded output beyond loopback', () => {
    const config = applyDefaults(
      {
        filters: { lintText: { maxLength: 0 } },
        http: { listen: '0.0.0.0:8080' },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(config), [
      'http: listens on 0.0.0.0:8080 but has no password of 7+ characters; set one in filters.pinAndShortcuts.passwords',
      'http: listens on 0.0.0.0:8080 but lintText.maxLength is 0 (no limit); set filters.lintText.maxLength to 35..4096',
    ]);
  });

  it('refuses the example password beyond loopback', () => {
    const config = applyDefaults(
      {
        filters: { pinAndShortcuts: { passwords: [EXAMPLE_PASSWORD] } },
        smtp: { listen: '0.0.0.0:25', myDomains: ['example.com'] },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(config), [
      'smtp: listens on 0.0.0.0:25 but uses the example password; set your own in filters.pinAndShortcuts.passwords',
    ]);
  });

  it('refuses the example API key of docs/api.md beyond loopback, and lets it be on loopback', () => {
    const raw = (listen: string): Record<string, unknown> => ({
      filters: { pinAndShortcuts: { passwords: ['a-real-password'] } },
      apiKeys: { docs: { sha256: hashKey(EXAMPLE_API_KEY).toUpperCase() } },
      http: { listen },
    });
    assert.deepEqual(checkSanity(applyDefaults(raw('127.0.0.1:8080'), APPS)), []);
    assert.deepEqual(checkSanity(applyDefaults(raw('[::]:8080'), APPS)), [
      'http: listens on [::]:8080 but apiKeys.docs is the example key of docs/api.md',
    ]);
  });

  it('counts telegram as internet-facing whatever its settings', () => {
    const config = applyDefaults({ telegram: { token: 't' } }, APPS);
    assert.deepEqual(checkSanity(config), [
      'telegram: is reachable from the internet but has no password of 7+ characters; set one in filters.pinAndShortcuts.passwords',
    ]);
    const fixed = applyDefaults(
      {
        telegram: { token: 't', filters: { pinAndShortcuts: { passwords: [PASSWORD] } } },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(fixed), []);
  });

  it('checks the effective filters: a channel override can make it sane or not', () => {
    const config = applyDefaults(
      {
        filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
        http: { listen: '0.0.0.0:80', filters: { lintText: { maxLength: 10 } } },
        twilio: { authToken: 't', publicUrl: 'https://x' },
      },
      APPS,
    );
    assert.deepEqual(checkSanity(config), [
      'http: listens on 0.0.0.0:80 but lintText.maxLength is 10; set filters.lintText.maxLength to 35..4096',
    ]);
  });

  it('ignores disabled channels', () => {
    const config = applyDefaults({ http: { enabled: false, listen: '0.0.0.0:80' } }, APPS);
    assert.deepEqual(checkSanity(config), []);
  });
});

describe('isLoopbackListen', () => {
  it('knows loopback addresses', () => {
    for (const listen of [
      '127.0.0.1:1',
      '127.9.9.9:80',
      '[::1]:80',
      'LOCALHOST:80',
      '[::ffff:127.0.0.1]:8',
    ]) {
      assert.equal(isLoopbackListen(listen), true, listen);
    }
    for (const listen of [
      '0.0.0.0:80',
      '[::]:80',
      '192.168.1.2:80',
      'example.com:80',
      '128.0.0.1:80',
    ]) {
      assert.equal(isLoopbackListen(listen), false, listen);
    }
  });
});
