/**
 * Test support for every package's suites (`@switchboard/core/testing`; smtp-server, which the
 * mail sink needs, is a dev dependency). Tests wait for the precise signal their assertion
 * needs; the deadline only bounds a hung test, so it is generous for a loaded CI machine.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { NodeSpawnBackend } from './process/node-spawn.js';
import { loadPosixSpawn } from './process/posix-spawn.js';
import type { SpawnBackend } from './process/spawn-backend.js';
import type { ProcessUse, Sample, Sampler } from './monitor/sample.js';

/** How long a wait may take before the test fails as hung. */
export const WAIT_MS = 30_000;

/** Polls `check` every 10 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Whether `path` exists. */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A local SMTP relay on loopback that keeps what `keep` makes of every mail it is given. */
export interface MailSink<T = string> {
  readonly port: number;
  readonly received: T[];
  close(): Promise<void>;
}

/** What the sink knows of one mail: its raw bytes and its envelope. */
export interface SinkDelivery {
  readonly raw: Buffer;
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
}

/** Starts a mail sink on `port` (0: any free port) that keeps every mail as raw text. */
export function startMailSink(port = 0): Promise<MailSink> {
  return startSmtpSink(port, ({ raw }) => Promise.resolve(raw.toString('utf8')));
}

/**
 * Starts a mail sink on `port` that keeps `keep(mail)` for every mail, before it answers 250,
 * so a test that sees a mail counted sees it whole. Any login over plain TCP is taken.
 */
export async function startSmtpSink<T>(
  port: number,
  keep: (mail: SinkDelivery) => Promise<T>,
): Promise<MailSink<T>> {
  const received: T[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // smtp-server's bundled test certificate has expired; a plain session is enough here.
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        keep({
          raw: Buffer.concat(chunks),
          envelopeFrom: from === false ? '' : from.address,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
        }).then(
          (kept) => {
            received.push(kept);
            callback();
          },
          (err: unknown) => {
            callback(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A loopback port where nothing listens: a relay that is down. */
export async function deadPort(): Promise<number> {
  const sink = await startMailSink();
  await sink.close();
  return sink.port;
}

/**
 * Every spawn backend this system has, for suites that must pass on each: child_process always,
 * posix_spawn on Linux with glibc.
 */
export function spawnBackends(): SpawnBackend[] {
  const loaded = loadPosixSpawn();
  return [new NodeSpawnBackend(), ...('backend' in loaded ? [loaded.backend] : [])];
}

/** A certificate and its key as PEM files, in a fresh directory of their own. */
export interface CertFiles {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
}

/** A throwaway self-signed certificate for localhost, made by the real openssl CLI. */
export async function selfSignedCert(): Promise<CertFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
    ...['-subj', '/CN=localhost', '-keyout', key, '-out', cert],
  ]);
  return { dir, cert, key };
}

/** curl, a real client nobody here wrote: its status and body (`-s -w` with the status). */
export function curl(args: readonly string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-w', '\n%{http_code}', ...args], (error, stdout) => {
      if (error !== null) {
        reject(new Error(`curl failed: ${error.message}`));
        return;
      }
      const at = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) });
    });
  });
}

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium driven by playwright-core, with the flags a closed network and a root user
 * need (docs/development.md). playwright-core is loaded on the first call only.
 */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export { RedisServer } from './redis-server.js';
export { DovecotServer, type DovecotUser } from './dovecot-server.js';
export { freePort } from './free-port.js';
export { startFeedServer, type FeedServer } from './feed-server.js';
export { codeOfBytes, stepAt } from './auth/totp.js';

/**
 * A monitor sampler that plays `cpu` values in order, then repeats the last; every other figure
 * is calm. `taken` counts the samples, so a test can wait for the monitor to take more.
 */
export class ScriptedSampler implements Sampler {
  taken = 0;
  readonly #cpu: readonly number[];

  constructor(cpu: readonly number[]) {
    this.#cpu = cpu;
  }

  sample(): Promise<Sample> {
    const cpuPercent = this.#cpu[Math.min(this.taken, this.#cpu.length - 1)] ?? 0;
    this.taken++;
    return Promise.resolve({
      at: Date.now(),
      cpuPercent,
      memoryPercent: 20,
      disks: [{ mount: '/', usedPercent: 40 }],
      load1: 0.2,
      cores: 2,
      netRxBytesPerSec: 0,
      netTxBytesPerSec: 0,
    });
  }

  topProcesses(): Promise<readonly ProcessUse[]> {
    return Promise.resolve([
      { pid: 4321, name: 'spinner', cpuPercent: 97, memoryBytes: 64 * 1024 * 1024 },
      { pid: 17, name: 'sshd', cpuPercent: 1, memoryBytes: 8 * 1024 * 1024 },
    ]);
  }
}
export {
  startFakeTwilioApi,
  INVALID_TO,
  type FakeTwilioApi,
  type TwilioApiRequest,
} from './fake-twilio-api.js';
export {
  startFakeWolframAlpha,
  HTML_INPUT,
  PI_ANSWER,
  type FakeWolframAlpha,
} from './fake-wolfram-alpha.js';
