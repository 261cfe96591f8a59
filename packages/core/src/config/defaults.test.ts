import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPS } from '../apps/registry.js';
import { applyDefaults, effectiveFilters, FILTERS_DEFAULTS } from './defaults.js';

describe('applyDefaults', () => {
  it('fills every top-level block and drops "$schema"', () => {
    const config = applyDefaults({ $schema: './x.json' }, APPS);
    assert.deepEqual(config.filters, FILTERS_DEFAULTS);
    assert.deepEqual(config.apps, {
      shell: { unrestricted: false, env: { pass: [], set: {} } },
      environment: {},
      twoFA: { accounts: {} },
      sendMail: {},
      textSearch: { files: {} },
      aesSearch: { files: {} },
    });
    assert.deepEqual(config.mail, {
      from: 'switchboard@localhost',
      outbox: './data/outbox',
      retry: { initialSec: 30, maxHours: 48 },
    });
    assert.deepEqual(config.limits, {
      commandsPerSecond: 1000,
      failedLoginsBeforeBan: 5,
      failedLoginWindowSec: 600,
      banSec: 3600,
      knownSourceDays: 30,
      reservedForKnownSources: 0.5,
    });
    assert.equal('$schema' in config, false);
  });

  it('merges objects key by key and replaces arrays whole', () => {
    const config = applyDefaults(
      {
        filters: { lintText: { maxLength: 100 }, pinAndShortcuts: { passwords: ['abcdefgh'] } },
        smtp: { myDomains: ['example.com'], rateLimit: { requests: 9 } },
      },
      APPS,
    );
    assert.equal(config.filters.lintText.maxLength, 100);
    assert.equal(config.filters.lintText.trimSpaces, true);
    assert.deepEqual(config.filters.pinAndShortcuts, { passwords: ['abcdefgh'], shortcuts: {} });
    assert.deepEqual(config.smtp?.rateLimit, { requests: 9, perSec: 1 });
    assert.equal(config.smtp.listen, '127.0.0.1:2525');
  });

  it('keeps a disabled block, disabled', () => {
    const config = applyDefaults({ telegram: { enabled: false, token: 't' } }, APPS);
    assert.equal(config.telegram?.enabled, false);
    assert.equal(config.telegram.apiRoot, 'https://api.telegram.org');
  });

  it('does not share or change the default objects', () => {
    const config = applyDefaults({ filters: { lintText: { maxLength: 5 } } }, APPS);
    assert.notEqual(config.filters.lintText, FILTERS_DEFAULTS.lintText);
    assert.equal(FILTERS_DEFAULTS.lintText.maxLength, 4096);
    assert.ok(Object.isFrozen(FILTERS_DEFAULTS.lintText));
  });
});

describe('effectiveFilters', () => {
  const config = applyDefaults(
    {
      filters: {
        pinAndShortcuts: { passwords: ['top-level-pass'], shortcuts: { up: '.s uptime' } },
        lintText: { compressSpaces: true },
        notifyViaEmail: { recipients: ['me@example.com'] },
      },
      http: { filters: { lintText: { maxLength: 500 } } },
      smtp: { myDomains: ['x'], filters: { pinAndShortcuts: { passwords: ['mail-only-pass'] } } },
      twilio: { authToken: 't', publicUrl: 'https://x', filters: { lintText: { maxLength: 300 } } },
    },
    APPS,
  );

  it('overrides only the keys a channel sets inside a filter', () => {
    const http = effectiveFilters(config, 'http');
    assert.deepEqual(http.lintText, {
      ...FILTERS_DEFAULTS.lintText,
      compressSpaces: true,
      maxLength: 500,
    });
    assert.deepEqual(http.pinAndShortcuts.passwords, ['top-level-pass']);
    assert.deepEqual(http.notifyViaEmail.recipients, ['me@example.com']);
  });

  it("replaces the top-level password list with a channel's own", () => {
    const smtp = effectiveFilters(config, 'smtp');
    assert.deepEqual(smtp.pinAndShortcuts.passwords, ['mail-only-pass']);
    assert.deepEqual(
      smtp.pinAndShortcuts.shortcuts,
      { up: '.s uptime' },
      'shortcuts still inherited',
    );
  });

  it('puts the twilio built-in defaults between the top level and the channel block', () => {
    const twilio = effectiveFilters(config, 'twilio');
    assert.deepEqual(twilio.lintText, {
      trimSpaces: true,
      compressToSingleLine: true,
      keepVisible7BitCharOnly: true,
      compressSpaces: true,
      beginPosition: 0,
      maxLength: 300,
    });
    const plain = effectiveFilters(applyDefaults({}, APPS), 'twilio');
    assert.equal(plain.lintText.maxLength, 160);
  });

  it('uses the top-level filters for a channel without a block', () => {
    assert.deepEqual(effectiveFilters(config, 'telegram'), config.filters);
  });

  it('returns a frozen object', () => {
    assert.ok(Object.isFrozen(effectiveFilters(config, 'http').lintText));
  });
});

describe('applyDefaults with odd keys', () => {
  it('keeps a "__proto__" shortcut as a plain key', () => {
    const raw = JSON.parse(
      '{"filters": {"pinAndShortcuts": {"shortcuts": {"__proto__": ".s date"}}}}',
    ) as Record<string, unknown>;
    const config = applyDefaults(raw, APPS);
    assert.deepEqual(Object.keys(config.filters.pinAndShortcuts.shortcuts), ['__proto__']);
    assert.equal(Object.getPrototypeOf(config.filters.pinAndShortcuts.shortcuts), Object.prototype);
  });
});
