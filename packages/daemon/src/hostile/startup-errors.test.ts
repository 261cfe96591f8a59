/**
 * Start-up errors name their config key (DESIGN §10): `check` (and `run`, before starting)
 * reads and parses the TLS certificates and keys; a listen address that is taken or an outbox
 * that cannot be created fails `run` with the key and a plain reason, never a raw system error
 * or a stack trace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CLI, configDir, RunningDaemon } from '../harness.js';
import { selfSignedCert, type CertFiles } from '@switchboard/core/testing';
import { exitWithin, takePort } from './support.js';

const PASSWORD = 'startup-errors-password';

const base = {
  filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
  http: { listen: '127.0.0.1:0' },
};

/** What a user must never see: a raw Node error code message or a stack frame. */
const RAW = /\bE[A-Z]{3,}\b|\n\s+at /;

/** A whole line of indented problem output, `text` taken literally. */
const problemLine = (text: string): RegExp =>
  new RegExp(`^  ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');

/** `switchboard check -c path` from another working directory: exit code and output. */
async function check(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [CLI, 'check', '-c', path],
      { cwd: tmpdir() },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** `switchboard run` on `config` until it exits by itself; its exit code and stderr. */
async function runUntilExit(config: unknown): Promise<{ code: number | null; stderr: string }> {
  const daemon = new RunningDaemon(configDir(config));
  try {
    return { code: await exitWithin(daemon), stderr: daemon.stderr };
  } finally {
    daemon.child.kill('SIGKILL');
  }
}

describe('TLS files are read by check and before run', () => {
  it('names http.tls.cert when the certificate file does not exist', async () => {
    const { key } = await selfSignedCert();
    const missing = join(tmpdir(), 'sb-no-such-dir', 'cert.pem');
    const config = { ...base, http: { ...base.http, tls: { cert: missing, key } } };
    const checked = await check(configDir(config));
    assert.equal(checked.code, 1);
    assert.match(
      checked.stderr,
      problemLine(`http.tls.cert: cannot read ${missing}: no such file`),
    );
    assert.doesNotMatch(checked.stderr, RAW);

    const ran = await runUntilExit(config);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, problemLine(`http.tls.cert: cannot read ${missing}: no such file`));
    assert.doesNotMatch(ran.stderr, RAW);
  });

  it('names each file that is not PEM and a key that does not match, http and smtp', async () => {
    const [a, b] = [await selfSignedCert(), await selfSignedCert()];
    const text = join(a.dir, 'notes.txt');
    writeFileSync(text, 'not a certificate\n');
    const config = {
      ...base,
      http: { ...base.http, tls: { cert: text, key: text } },
      smtp: { listen: '127.0.0.1:0', myDomains: ['sb.test'], tls: { cert: a.cert, key: b.key } },
    };
    const { code, stderr } = await check(configDir(config));
    assert.equal(code, 1);
    assert.match(stderr, problemLine(`http.tls.cert: ${text} is not a PEM certificate`));
    assert.match(stderr, problemLine(`http.tls.key: ${text} is not a PEM private key`));
    assert.match(stderr, problemLine('smtp.tls.key: does not match smtp.tls.cert'));
    assert.doesNotMatch(stderr, RAW);
  });

  it('reads relative paths from the config file directory, in check and run alike', async () => {
    const cert: CertFiles = await selfSignedCert();
    const path = configDir({
      ...base,
      http: { ...base.http, tls: { cert: 'cert.pem', key: 'key.pem' } },
    });
    copyFileSync(cert.cert, join(dirname(path), 'cert.pem'));
    copyFileSync(cert.key, join(dirname(path), 'key.pem'));
    const checked = await check(path);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /: OK$/m);
    // The test's working directory has no cert.pem: only the config's directory does.
    const daemon = new RunningDaemon(path);
    try {
      const listening = await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'http');
      assert.match(String(listening.address), /^https:\/\/127\.0\.0\.1:\d+\/$/);
      daemon.child.kill('SIGTERM');
      assert.equal(await exitWithin(daemon), 0);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
    }
  });
});

describe('start-up failures name their config key', () => {
  it('http.listen: address already in use', async () => {
    const taken = await takePort();
    try {
      const ran = await runUntilExit({ ...base, http: { listen: `127.0.0.1:${taken.port}` } });
      assert.equal(ran.code, 1);
      assert.equal(ran.stderr, 'switchboard: http.listen: address already in use\n');
    } finally {
      await taken.close();
    }
  });

  it('smtp.listen: address already in use', async () => {
    const taken = await takePort();
    try {
      const ran = await runUntilExit({
        ...base,
        smtp: { listen: `127.0.0.1:${taken.port}`, myDomains: ['sb.test'] },
      });
      assert.equal(ran.code, 1);
      assert.equal(ran.stderr, 'switchboard: smtp.listen: address already in use\n');
    } finally {
      await taken.close();
    }
  });

  it('mail.outbox: a directory that cannot be created', async () => {
    // Tests run as root, which file modes do not stop: a regular file in the path stops anyone.
    const file = join(mkdtempSync(join(tmpdir(), 'sb-outbox-')), 'a-file');
    writeFileSync(file, '');
    const outbox = join(file, 'outbox');
    const ran = await runUntilExit({ ...base, mail: { outbox } });
    assert.equal(ran.code, 1);
    assert.equal(
      ran.stderr,
      `switchboard: mail.outbox: cannot use ${outbox}: a part of the path is not a directory\n`,
    );
  });
});
