/**
 * `switchboard health` against a real daemon (one for the whole file) that serves HTTPS under a
 * basePath on a port of its own, and mail on another: health finds it from the config alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadPort, selfSignedCert } from '@switchboard/core/testing';
import { configDir, RunningDaemon, runCli } from '../harness.js';

const PASSWORD = 'health-test-password';

describe('switchboard health', () => {
  let daemon: RunningDaemon;
  let base: Record<string, unknown>;
  let httpPort: number;
  let smtpPort: number;

  before(async () => {
    const { cert, key } = await selfSignedCert();
    httpPort = await deadPort();
    smtpPort = await deadPort();
    base = { filters: { pinAndShortcuts: { passwords: [PASSWORD] } } };
    daemon = new RunningDaemon(
      configDir({
        ...base,
        http: { listen: `127.0.0.1:${httpPort}`, basePath: '/sb', tls: { cert, key } },
        smtp: { listen: `127.0.0.1:${smtpPort}`, myDomains: ['localhost'] },
      }),
    );
    await daemon.url();
    await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
  });

  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exit();
  });

  /** `health -c` with the running daemon's config, its http block changed by `http`. */
  async function health(http: Record<string, unknown> | undefined, smtp?: unknown) {
    const config = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    if (http !== undefined) {
      const { cert, key } = await selfSignedCert();
      config.http = {
        listen: `127.0.0.1:${httpPort}`,
        basePath: '/sb',
        tls: { cert, key },
        ...http,
      };
    }
    if (smtp !== undefined) config.smtp = smtp;
    return runCli(['health', '-c', configDir(config)]);
  }

  it('is healthy: it asks /healthz at the basePath, over TLS', async () => {
    const r = await health({});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `healthy: https://127.0.0.1:${httpPort}/sb/healthz answered ok\n`);
  });

  it('asks loopback when the config listens on every address', async () => {
    const r = await health({ listen: `0.0.0.0:${httpPort}` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^healthy: https://127\\.0\\.0\\.1:${httpPort}/sb/healthz`));
  });

  it('is unhealthy when the daemon is not at that basePath', async () => {
    const r = await health({ basePath: '/elsewhere' });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^unhealthy: https:\/\/127\.0\.0\.1:\d+\/elsewhere\/healthz answered 404/,
    );
  });

  it('is unhealthy when nothing listens at the address', async () => {
    const r = await health({ listen: `127.0.0.1:${await deadPort()}` });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^unhealthy: https:\/\/127\.0\.0\.1:\d+\/sb\/healthz: connection refused/,
    );
  });

  it('asks the mail channel for its greeting when there is no http channel', async () => {
    const r = await health(undefined, {
      listen: `127.0.0.1:${smtpPort}`,
      myDomains: ['localhost'],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `healthy: smtp://127.0.0.1:${smtpPort} greeted with 220\n`);
  });

  it('is unhealthy when the config has no channel that listens', async () => {
    const r = await health(undefined);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^unhealthy: no http or smtp channel to ask/);
  });

  it('says it cannot check a config whose only channel, telegram, listens nowhere', async () => {
    const config = { ...base, telegram: { token: '123456:not-a-real-token' } };
    const r = await runCli(['health', '-c', configDir(config)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^not checked: telegram listens nowhere/);
  });

  it('is unhealthy, with exit status 1, when the config cannot be read', async () => {
    const r = await runCli(['health', '-c', '/nonexistent/config.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read/);
  });
});

describe('switchboard health of a degraded daemon', () => {
  it('is healthy (exit 0) and says degraded when the shared state store is down', async () => {
    const path = configDir({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      state: { store: 'redis', redis: { url: `redis://127.0.0.1:${await deadPort()}` } },
      http: { listen: `127.0.0.1:${await deadPort()}` },
    });
    const daemon = new RunningDaemon(path);
    try {
      const url = await daemon.url();
      // A restart would not bring Redis back; the instance still serves passwords.
      const r = await runCli(['health', '-c', path]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `healthy: ${url}/healthz answered degraded (the shared state store is unreachable: docs/scale-out.md)\n`,
      );
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  });
});
