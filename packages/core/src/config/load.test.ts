import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { App } from '../apps/app.js';
import { APPS } from '../apps/registry.js';
import { createConfigLoader, loadConfigFile, parseConfig, type ConfigResult } from './load.js';
import { checkSanity, isLoopbackListen } from './sanity.js';
import type { Config } from './types.js';

const standIn = (key: string, schema: Record<string, unknown>, defaults = {}): App => ({
  trigger: `.${key.slice(0, 1)}`,
  name: key,
  docs: { enabled: 'always' },
  settings: { key, schema, defaults },
  isConfigured: () => true,
  execute: () => Promise.resolve(''),
});

const STAND_IN_APPS: readonly App[] = [
  standIn(
    'shell',
    {
      type: 'object',
      additionalProperties: false,
      properties: { unrestricted: { type: 'boolean' }, interpreter: { type: 'string' } },
    },
    { unrestricted: false },
  ),
  standIn('environment', { type: 'object', additionalProperties: false, properties: {} }),
  standIn('twoFA', {
    type: 'object',
    additionalProperties: false,
    properties: {
      accounts: {
        type: 'object',
        additionalProperties: { type: 'string', pattern: '^[A-Z2-7]+$' },
      },
    },
  }),
  standIn('sendMail', { type: 'object', additionalProperties: false, properties: {} }),
];

const loader = createConfigLoader(STAND_IN_APPS);
const PASSWORD = 'correct-horse';

function parse(value: unknown, env: Record<string, string | undefined> = {}): ConfigResult {
  return loader.parse(JSON.stringify(value, null, 2), { env, fileName: 'config.json' });
}

function errorsOf(value: unknown, env: Record<string, string | undefined> = {}): string[] {
  const result = parse(value, env);
  if (result.ok) assert.fail('expected the config to be refused');
  return result.errors;
}

function configOf(value: unknown, env: Record<string, string | undefined> = {}): Config {
  const result = parse(value, env);
  assert.ok(result.ok, `expected a valid config, got ${JSON.stringify(result)}`);
  return result.config;
}

describe('parseConfig', () => {
  it('accepts an empty object and fills every default', () => {
    const config = configOf({});
    assert.equal(config.limits.banSec, 3600);
    assert.equal(config.filters.lintText.maxLength, 4096);
    assert.equal(config.mail.outbox, './data/outbox');
    assert.deepEqual(config.apps.shell, { unrestricted: false }, "each app's own defaults");
    assert.equal(config.http, undefined, 'an absent channel block stays absent');
  });

  it('names every variable the file referenced, set or defaulted, so no program gets them', () => {
    const config = configOf(
      {
        telegram: { token: '${TG_TOKEN}', apiRoot: '${API_ROOT:-https://api.telegram.org}' },
        mail: { from: 'a@b.c' },
      },
      { TG_TOKEN: '1:x' },
    );
    assert.deepEqual(config.referencedEnv, ['API_ROOT', 'TG_TOKEN']);
    assert.deepEqual(configOf({}).referencedEnv, []);
  });

  it('fills a present channel block with its defaults and keeps what the file says', () => {
    const config = configOf({ http: { listen: '[::1]:9000' }, smtp: { myDomains: ['localhost'] } });
    assert.equal(config.http?.listen, '[::1]:9000');
    assert.equal(config.http.enabled, true);
    assert.deepEqual(config.http.rateLimit, { requests: 10, perSec: 1 });
    assert.equal(config.smtp?.maxMessageBytes, 10_485_760);
    assert.deepEqual(config.smtp.myDomains, ['localhost']);
  });

  it('defaults the relay port from secure', () => {
    assert.equal(configOf({ mail: { smtp: { host: 'relay' } } }).mail.smtp?.port, 587);
    const secure = configOf({ mail: { smtp: { host: 'relay', secure: true } } });
    assert.equal(secure.mail.smtp?.port, 465);
  });

  it('deep-freezes the result, so assignment throws in strict mode', () => {
    const config = configOf({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    assert.throws(() => {
      (config.limits as { banSec: number }).banSec = 1;
    }, TypeError);
    assert.throws(() => {
      (config.filters.pinAndShortcuts.passwords as string[]).push('another-one');
    }, TypeError);
  });

  it('names a too-short password by its array index', () => {
    assert.deepEqual(errorsOf({ filters: { pinAndShortcuts: { passwords: ['short'] } } }), [
      'filters.pinAndShortcuts.passwords[0]: must be at least 7 characters',
    ]);
  });

  it('lists the allowed keys for an unknown key, at every depth', () => {
    const errors = errorsOf({
      lisen: 1,
      http: { lisen: '127.0.0.1:80', rateLimit: { requests: 1, perSec: 1, burst: 2 } },
      filters: { lintText: { maxLen: 5 } },
    });
    assert.deepEqual(errors, [
      'lisen: unknown key (allowed: $schema, filters, apps, mail, limits, commands, apiKeys, maintenance, control, state, monitor, http, smtp, telegram, twilio)',
      'filters.lintText.maxLen: unknown key (allowed: trimSpaces, compressToSingleLine, keepVisible7BitCharOnly, compressSpaces, beginPosition, maxLength)',
      'http.lisen: unknown key (allowed: enabled, filters, rateLimit, timeoutSec, listen, basePath, trustProxy, cors, stream, metrics, tls)',
      'http.rateLimit.burst: unknown key (allowed: requests, perSec)',
    ]);
  });

  it('refuses keys under an app that takes none', () => {
    assert.deepEqual(errorsOf({ apps: { environment: { verbose: true } } }), [
      'apps.environment.verbose: unknown key (this object takes no keys)',
    ]);
  });

  it('says what a pattern-checked string must be', () => {
    for (const listen of ['0.0.0.0', '0.0.0.0:65536', ':80', '::1:80', 'host name:80']) {
      assert.deepEqual(errorsOf({ http: { listen } }), ['http.listen: must be host:port'], listen);
    }
    for (const listen of ['0.0.0.0:0', '[::]:65535', 'localhost:25', 'my-host.example:8080']) {
      assert.equal(parse({ http: { listen } }).ok, true, listen);
    }
  });

  it('reports wrong types in words', () => {
    assert.deepEqual(
      errorsOf({
        limits: { banSec: 1.5, commandsPerSecond: '10' },
        http: { enabled: 'yes', trustProxy: 'loopback' },
        filters: 'none',
      }),
      [
        'filters: must be an object',
        'limits.commandsPerSecond: must be an integer',
        'limits.banSec: must be an integer',
        'http.enabled: must be true or false',
        'http.trustProxy: must be an array',
      ],
    );
  });

  it('checks ranges, tuples, formats and required keys', () => {
    assert.deepEqual(
      errorsOf({
        filters: {
          translateSequences: { sequences: [['a'], ['a', 'b', 'c']] },
          pinAndShortcuts: { shortcuts: { '': '.s date', ok: '' } },
        },
        mail: { smtp: { port: 0 }, from: 'nobody', retry: { maxHours: 0 } },
        http: { timeoutSec: 3601, basePath: '/sb/', tls: { cert: 'c.pem' } },
        telegram: { token: 't', apiRoot: 'ftp://x', webhook: { path: '/h', secretToken: 'short' } },
      }),
      [
        'filters.pinAndShortcuts.shortcuts[""]: key must not be empty',
        'filters.pinAndShortcuts.shortcuts.ok: must not be empty',
        'filters.translateSequences.sequences[0]: must have exactly 2 items',
        'filters.translateSequences.sequences[1]: must have exactly 2 items',
        'mail.smtp.host: is required',
        'mail.smtp.port: must be at least 1',
        'mail.from: must be an e-mail address',
        'mail.retry.maxHours: must be greater than 0',
        'http.timeoutSec: must be at most 3600',
        'http.basePath: must be "" or a path like /switchboard (no trailing /)',
        'http.tls.key: is required',
        'telegram.apiRoot: must be an http:// or https:// URL',
        'telegram.webhook.secretToken: must be 16 to 256 characters from A-Z, a-z, 0-9, _ and -',
      ],
    );
  });

  it('reports every problem at once: four problems, four lines', () => {
    const errors = errorsOf({
      limits: { banSec: -1 },
      http: { listen: 'everywhere' },
      filters: { pinAndShortcuts: { passwords: ['abc'] } },
      twilio: { publicUrl: 'https://example.com' },
    });
    assert.equal(errors.length, 4, errors.join('\n'));
  });

  it('checks keys that depend on other keys', () => {
    const errors = errorsOf({
      filters: {
        pinAndShortcuts: { passwords: [PASSWORD, 'another-one', PASSWORD] },
        notifyViaEmail: { recipients: ['me@example.com'] },
      },
      smtp: { forwardTo: ['me@example.com'] },
      telegram: { webhook: { path: '/tg', secretToken: 'a'.repeat(16) } },
      twilio: { enabled: true, filters: { notifyViaEmail: { recipients: ['sms@example.com'] } } },
    });
    assert.deepEqual(errors, [
      'filters.pinAndShortcuts.passwords[2]: repeats passwords[0]',
      'filters.notifyViaEmail.recipients: needs mail.smtp to send mail',
      'twilio.filters.notifyViaEmail.recipients: needs mail.smtp to send mail',
      'smtp.myDomains: must list at least one domain to accept mail for',
      'smtp.forwardTo: needs mail.smtp to send mail',
      'telegram.token: is required',
      'telegram.webhook: needs the http channel, which serves the webhook',
      'twilio.authToken: is required',
      'twilio.publicUrl: is required',
      'twilio: needs the http channel, which serves the twilio webhooks',
    ]);
    assert.ok(!errors.join('\n').includes(PASSWORD), 'a password never appears in an error');
  });

  it('accepts notification recipients once a relay is configured', () => {
    const config = configOf({
      mail: { smtp: { host: 'relay.example.com', auth: { user: 'u', pass: 'p' } } },
      filters: { notifyViaEmail: { recipients: ['me@example.com'] } },
    });
    assert.deepEqual(config.filters.notifyViaEmail.recipients, ['me@example.com']);
  });

  it('checks trustProxy entries as IP addresses', () => {
    assert.deepEqual(
      errorsOf({ http: { trustProxy: ['loopback', '10.0.0.0/8', '1.2.3', '::1/129'] } }),
      [
        'http.trustProxy[2]: must be an IP address, a CIDR range or "loopback"',
        'http.trustProxy[3]: must be an IP address, a CIDR range or "loopback"',
      ],
    );
  });

  it('refuses two channels on one address', () => {
    assert.deepEqual(
      errorsOf({
        http: { listen: '127.0.0.1:8080' },
        smtp: { listen: '127.0.0.1:8080', myDomains: ['x'] },
      }),
      ['smtp.listen: 127.0.0.1:8080 is already used by http.listen'],
    );
  });

  it('substitutes environment variables before validating', () => {
    const config = configOf(
      {
        mail: { smtp: { host: '${SMTP_HOST}', auth: { user: 'me', pass: '${SMTP_PASS:-none}' } } },
      },
      { SMTP_HOST: 'relay.example.com' },
    );
    assert.equal(config.mail.smtp?.host, 'relay.example.com');
    assert.equal(config.mail.smtp.auth?.pass, 'none');
  });

  it('names the key of an unset environment variable, once', () => {
    assert.deepEqual(
      errorsOf({
        mail: { smtp: { host: 'relay', auth: { user: 'me', pass: '${SMTP_PASS}' } } },
        http: { listen: '${LISTEN}' },
      }),
      [
        'mail.smtp.auth.pass: environment variable SMTP_PASS is not set',
        'http.listen: environment variable LISTEN is not set',
      ],
    );
  });

  it('gives the line and column of a JSON syntax error', () => {
    const result = loader.parse('{\n  "http": {\n    "listen": "127.0.0.1:80",\n  }\n}', {
      env: {},
      fileName: 'config.json',
    });
    assert.deepEqual(result, {
      ok: false,
      errors: [
        'config.json: invalid JSON at line 4 column 3: Expected double-quoted property name',
      ],
    });
    const truncated = loader.parse('{"a": [1,', { env: {} });
    assert.deepEqual(truncated, {
      ok: false,
      errors: ['config: invalid JSON at line 1 column 10: unexpected end of file'],
    });
  });

  it('reports (root) when the file is not an object', () => {
    assert.deepEqual(errorsOf([]), ['(root): must be an object']);
  });
});

describe('loadConfigFile', () => {
  it('reads a file, and turns an unreadable one into one error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
    try {
      const path = join(dir, 'config.json');
      await writeFile(path, '{"limits": {"banSec": 60}}');
      const ok = await loadConfigFile(path, { env: {}, apps: STAND_IN_APPS });
      assert.ok(ok.ok);
      assert.equal(ok.config.limits.banSec, 60);
      const missing = join(dir, 'missing.json');
      const result = await loader.load(missing, { env: {} });
      if (result.ok) assert.fail('a missing file is an error');
      assert.match(result.errors[0] ?? '', /missing\.json: cannot read \(ENOENT/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("resolves control.socket from the file's directory, and leaves an absolute one alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
    try {
      const path = join(dir, 'config.json');
      await writeFile(path, '{}');
      const byDefault = await loader.load(path, { env: {} });
      assert.ok(byDefault.ok);
      assert.equal(byDefault.config.control.socket, join(dir, 'data/control.sock'));
      await writeFile(path, '{"control": {"socket": "/run/sb/ctl.sock"}}');
      const absolute = await loader.load(path, { env: { STATE_DIRECTORY: '/data' } });
      assert.ok(absolute.ok);
      assert.equal(absolute.config.control.socket, '/run/sb/ctl.sock');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("resolves each IMAP account's ca from the file's directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
    try {
      const path = join(dir, 'config.json');
      const account = { host: 'imap.example.com', user: 'me', password: 'pw' };
      const accounts = {
        a: { ...account, ca: 'certs/ca.pem' },
        b: { ...account, ca: '/etc/ca.pem' },
        c: account,
      };
      await writeFile(path, JSON.stringify({ apps: { imap: { accounts } } }));
      const result = await createConfigLoader(APPS).load(path, { env: {} });
      assert.ok(result.ok);
      const loaded = result.config.apps.imap.accounts;
      assert.deepEqual(
        [loaded.a?.ca, loaded.b?.ca, loaded.c?.ca],
        [join(dir, 'certs/ca.pem'), '/etc/ca.pem', undefined],
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('parseConfig is the one-shot form of the loader', () => {
    const result = parseConfig('{}', { env: {}, apps: STAND_IN_APPS });
    assert.equal(result.ok, true);
  });
});

describe('config.example.json', () => {
  it('validates with the real apps and is sane', async () => {
    const path = new URL('../../../../config.example.json', import.meta.url);
    const text = await readFile(path, 'utf8');
    const result = parseConfig(text, { env: {}, apps: APPS, fileName: 'config.example.json' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(checkSanity(result.config), []);
    // Its ports are the user's to change (8080 may be taken); loopback is what makes it safe.
    assert.ok(
      isLoopbackListen(result.config.http?.listen ?? ''),
      'the example listens beyond loopback',
    );
    assert.ok(
      isLoopbackListen(result.config.smtp?.listen ?? ''),
      'the example listens beyond loopback',
    );
    assert.deepEqual(result.config.smtp?.myDomains, ['localhost']);
    assert.equal(result.config.mail.smtp, undefined, 'mail waits in the outbox');
  });
});
