import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { APPS } from '../apps/registry.js';
import { createConfigLoader } from './load.js';
import { CONTROL_DEFAULTS, MAIL_DEFAULTS } from './defaults.js';
import type { Config } from './types.js';

const loader = createConfigLoader(APPS);

function configOf(value: unknown, env: Record<string, string | undefined>): Config {
  const result = loader.parse(JSON.stringify(value), { env });
  assert.ok(result.ok, JSON.stringify(result));
  return result.config;
}

describe('STATE_DIRECTORY (systemd StateDirectory=, the Docker image)', () => {
  it('holds the outbox when the config leaves mail.outbox out', () => {
    const config = configOf({}, { STATE_DIRECTORY: '/var/lib/switchboard' });
    assert.equal(config.mail.outbox, '/var/lib/switchboard/outbox');
  });

  it('holds the control socket when the config leaves control.socket out', () => {
    const config = configOf({}, { STATE_DIRECTORY: '/var/lib/switchboard' });
    assert.equal(config.control.socket, '/var/lib/switchboard/control.sock');
  });

  it('leaves a control.socket the config sets alone', () => {
    const config = configOf({ control: { socket: 'ctl.sock' } }, { STATE_DIRECTORY: '/data' });
    assert.equal(config.control.socket, 'ctl.sock');
    assert.equal(config.mail.outbox, '/data/outbox');
  });

  it('is the first of several directories (StateDirectory=a b)', () => {
    const config = configOf({}, { STATE_DIRECTORY: '/var/lib/a:/var/lib/b' });
    assert.equal(config.mail.outbox, '/var/lib/a/outbox');
  });

  it('holds the message bank when the config leaves apps.messageBank.directory out', () => {
    const config = configOf(
      { apps: { messageBank: { enabled: true } } },
      { STATE_DIRECTORY: '/data' },
    );
    assert.equal(config.apps.messageBank.directory, '/data/message-bank');
    const set = configOf(
      { apps: { messageBank: { directory: 'bank' } } },
      { STATE_DIRECTORY: '/data' },
    );
    assert.equal(set.apps.messageBank.directory, 'bank');
  });

  it("resolves a relative message bank directory from the config file's directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
    try {
      const path = join(dir, 'config.json');
      await writeFile(path, '{}');
      const loaded = await loader.load(path, { env: {} });
      assert.ok(loaded.ok);
      assert.equal(loaded.config.apps.messageBank.directory, join(dir, 'data/message-bank'));
      const state = await loader.load(path, { env: { STATE_DIRECTORY: '/data' } });
      assert.ok(state.ok);
      assert.equal(state.config.apps.messageBank.directory, '/data/message-bank');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('leaves a mail.outbox the config sets alone', () => {
    const config = configOf({ mail: { outbox: 'spool' } }, { STATE_DIRECTORY: '/data' });
    assert.equal(config.mail.outbox, 'spool');
  });

  it('leaves the default next to the config file when it is not set', () => {
    assert.equal(configOf({}, {}).mail.outbox, MAIL_DEFAULTS.outbox);
    assert.equal(configOf({}, { STATE_DIRECTORY: '' }).mail.outbox, MAIL_DEFAULTS.outbox);
    assert.equal(configOf({}, {}).control.socket, CONTROL_DEFAULTS.socket);
  });

  it('must be an absolute path', () => {
    const result = loader.parse('{}', { env: { STATE_DIRECTORY: 'relative/dir' } });
    assert.deepEqual(result, {
      ok: false,
      errors: ['STATE_DIRECTORY: must be an absolute path, not "relative/dir"'],
    });
  });
});
