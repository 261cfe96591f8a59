/**
 * API keys and per-password permissions (DESIGN §12, issue 13): a key is presented as
 * `Authorization: Bearer`, scoped to apps, commands and sources, with its own rate; a wrong key
 * is a failed login; a password entry may be limited to apps, channels and commands. Refusals
 * are `not permitted` (403), logged and counted, never notified.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl, deadPort } from '@switchboard/core/testing';
import { configDir, runCli, RunningDaemon, writeConfig } from '../harness.js';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { namedCommandsConfig, PASSWORD, postNamed } from './support.js';
import { createHash } from 'node:crypto';

const SMS_PASSWORD = 'weaker-sms-password';
const CI_KEY = 'sbk_ci-key-for-tests-0123456789';
const ADMIN_KEY = 'sbk_admin-key-for-tests-0123456789';
const LAN_KEY = 'sbk_lan-key-for-tests-0123456789';
const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex');
const outbox = join(mkdtempSync(join(tmpdir(), 'sb-creds-')), 'outbox');

const bearer = (key: string, source = '192.0.2.50'): Record<string, string> => ({
  authorization: `Bearer ${key}`,
  'x-forwarded-for': source,
});

describe('API keys and permissions', () => {
  const suite = daemonPerSuite(async () =>
    namedCommandsConfig({
      filters: {
        pinAndShortcuts: {
          passwords: [
            PASSWORD,
            { password: SMS_PASSWORD, apps: ['.e', '.x'], commands: ['disk'], channels: ['http'] },
          ],
        },
        // Every authorised command is mailed; the relay is down, so mail waits in the outbox.
        notifyViaEmail: { recipients: ['owner@sb.test'] },
      },
      mail: { smtp: { host: '127.0.0.1', port: await deadPort() }, outbox },
      apiKeys: {
        ci: { sha256: sha256(CI_KEY), commands: ['args', 'disk'] },
        admin: {
          sha256: sha256(ADMIN_KEY),
          apps: ['.x', '.s'],
          rateLimit: { requests: 3, perSec: 3600 },
        },
        lan: { sha256: sha256(LAN_KEY), sources: ['10.0.0.0/8'] },
      },
      apps: { shell: { unrestricted: true } },
    }),
  );
  const queued = (): number => readdirSync(outbox).filter((f) => f.endsWith('.json')).length;

  it('lists what a key may run, with argument schemas (curl)', async () => {
    const r = await curl(['-H', `Authorization: Bearer ${CI_KEY}`, `${suite.url}/api/commands`]);
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { commands: { name: string; args: unknown }[] };
    assert.deepEqual(
      body.commands.map((c) => c.name),
      ['args', 'disk'],
    );
    assert.deepEqual(body.commands[1]?.args, {
      type: 'object',
      properties: { path: { type: 'string', pattern: '^(?:/[a-z/]*)$', default: '/' } },
      additionalProperties: false,
    });
    const none = await curl([`${suite.url}/api/commands`]);
    assert.deepEqual(
      [none.status, JSON.parse(none.body)],
      [401, { ok: false, output: '', error: 'needs Authorization: Bearer <key>' }],
    );
  });

  it('runs a named command with a key, no password in the text', async () => {
    const answer = await postNamed(suite.url, 'args', { args: { word: 'k' } }, bearer(CI_KEY));
    assert.deepEqual(answer.body, { ok: true, output: '[xky]\n[one]', error: null });
    const text = await postCommand(suite.url, '.x args k two', bearer(CI_KEY));
    assert.equal(text.body.output, '[xky]\n[two]');
    const log = await suite.daemon.waitFor((l) => l.msg === 'command' && l.key === 'ci');
    assert.equal(log.ok, true);
  });

  it('refuses what is outside a key’s scope with 403, and runs nothing', async () => {
    const shell = await postCommand(suite.url, '.s echo ran', bearer(CI_KEY));
    assert.deepEqual([shell.status, shell.body.error], [403, 'not permitted']);
    const other = await postNamed(suite.url, 'once', {}, bearer(CI_KEY));
    assert.deepEqual([other.status, other.body.error], [403, 'not permitted']);
    const unknown = await postNamed(suite.url, 'nope', {}, bearer(CI_KEY));
    assert.deepEqual(
      [unknown.status, unknown.body.error],
      [404, 'unknown command; you may run: args disk'],
    );
    const outside = await postNamed(suite.url, 'disk', {}, bearer(LAN_KEY, '203.0.113.1'));
    assert.deepEqual([outside.status, outside.body.error], [403, 'not permitted']);
    const inside = await postNamed(suite.url, 'disk', {}, bearer(LAN_KEY, '10.9.8.7'));
    assert.equal(inside.status, 200);
  });

  it('gives each key its own rate', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await postCommand(suite.url, '.s true', bearer(ADMIN_KEY))).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('counts a wrong key as a failed login, banned after failedLoginsBeforeBan', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await postCommand(
        suite.url,
        '.x disk',
        bearer(`sbk_guess${i}`, '198.51.100.77'),
      );
      statuses.push(answer.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 403]);
    const right = await postCommand(suite.url, '.x disk', bearer(CI_KEY, '198.51.100.77'));
    assert.deepEqual([right.status, right.body.error], [403, 'banned']);
  });

  it('refuses a malformed Authorization header with 401 without counting it', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'bearer  ']) {
      const r = await curl([
        '-H',
        `Authorization: ${header}`,
        '-H',
        'X-Forwarded-For: 198.51.100.88',
        '-d',
        'command=.x disk',
        `${suite.url}/api/command`,
      ]);
      assert.equal(r.status, 401, header);
      assert.equal(
        (JSON.parse(r.body) as { error: string }).error,
        'malformed Authorization header (expected: Bearer <key>)',
      );
    }
    const after = await postCommand(suite.url, `${PASSWORD} .x disk`, {
      'x-forwarded-for': '198.51.100.88',
    });
    assert.equal(after.status, 200);
  });

  it('limits a password entry to its apps, channels and commands', async () => {
    const from = { 'x-forwarded-for': '192.0.2.60' };
    const info = await postCommand(suite.url, `${SMS_PASSWORD} .e info`, from);
    assert.equal(info.status, 200);
    const disk = await postCommand(suite.url, `${SMS_PASSWORD} .x disk`, from);
    assert.equal(disk.status, 200);
    for (const text of ['.s id', '.x args a']) {
      const refused = await postCommand(suite.url, `${SMS_PASSWORD} ${text}`, from);
      assert.deepEqual([refused.status, refused.body.error], [403, 'not permitted'], text);
    }
  });

  it('never notifies a refusal by permission, while it does notify what ran', async () => {
    const from = { 'x-forwarded-for': '192.0.2.61' };
    const before = queued();
    await postCommand(suite.url, `${SMS_PASSWORD} .s id`, from);
    await postCommand(suite.url, `${SMS_PASSWORD} .x nope`, from);
    await postCommand(suite.url, `${SMS_PASSWORD} .x disk /etc;`, from);
    await postCommand(suite.url, `${SMS_PASSWORD} .e info`, from);
    await suite.daemon.waitFor(() => queued() > before);
    assert.equal(queued(), before + 1);
  });
});

describe('a password entry limited to channels', () => {
  it('is refused on another channel (switchboard exec --channel telegram)', async () => {
    const path = configDir({
      filters: {
        pinAndShortcuts: { passwords: [{ password: SMS_PASSWORD, channels: ['http'] }] },
      },
    });
    const telegram = await runCli([
      'exec',
      '-c',
      path,
      '--channel',
      'telegram',
      '--',
      `${SMS_PASSWORD} .e info`,
    ]);
    assert.match(telegram.stdout + telegram.stderr, /not permitted/);
    const http = await runCli([
      'exec',
      '-c',
      path,
      '--channel',
      'http',
      '--',
      `${SMS_PASSWORD} .e info`,
    ]);
    assert.match(http.stdout, /Host name:/);
  });
});

describe('switchboard key new', () => {
  it('prints a key once and an entry that works when pasted into the config', async () => {
    const made = await runCli(['key', 'new', 'deploy']);
    assert.equal(made.code, 0);
    const key = /^ {2}(sbk_\S+)$/m.exec(made.stdout)?.[1];
    const entry = /^ {2}("deploy": \{.*\})$/m.exec(made.stdout)?.[1];
    assert.ok(key !== undefined && entry !== undefined, made.stdout);
    const config = namedCommandsConfig();
    const path = configDir(config);
    writeConfig(path, { ...config, apiKeys: JSON.parse(`{${entry}}`) as unknown });
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      const answer = await postNamed(url, 'disk', {}, { authorization: `Bearer ${key}` });
      assert.equal(answer.status, 200);
      assert.equal(
        (await postCommand(url, '.s id', { authorization: `Bearer ${key}` })).status,
        403,
      );
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
    const again = await runCli(['key', 'new', 'deploy']);
    assert.notEqual(/^ {2}(sbk_\S+)$/m.exec(again.stdout)?.[1], key);
  });
});
