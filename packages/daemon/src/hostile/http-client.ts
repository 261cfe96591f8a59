/**
 * Test support for the hostile suites: a daemon per describe block, the JSON API as an outside
 * client calls it, and the RFC 6238 codes of a password computed here from the RFC, not with
 * the daemon's own code.
 */
import { createHmac } from 'node:crypto';
import { after, before } from 'node:test';
import { configDir, RunningDaemon } from '../harness.js';

/** The API's answer: the status and the parsed JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: { ok?: boolean; output?: string; error?: string | null };
}

/** POSTs `{"command": ...}` to `${url}/api/command` with extra headers. */
export async function postCommand(
  url: string,
  command: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${url}/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ command }),
  });
  return { status: res.status, body: (await res.json()) as ApiAnswer['body'] };
}

/** RFC 4226 HOTP, 6 digits, HMAC-SHA1: the code of `secret` at 30 s step `step` (RFC 6238). */
export function totp(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

/** The code pair of `password` with half A at step `a` and half B at step `b` (DESIGN §2.4). */
export function codePair(password: string, a: number, b: number): string {
  const reversed = Array.from(password).reverse().join('');
  return totp(Buffer.from(password, 'utf8'), a) + totp(Buffer.from(reversed, 'utf8'), b);
}

/** Runs `count` calls of `task(i)` with at most `concurrency` in flight; resolves when all ended. */
export async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The daemon of one describe block, and its http channel's URL once it listens. */
export interface SuiteDaemon {
  readonly daemon: RunningDaemon;
  readonly url: string;
}

/**
 * Starts one daemon on `config` before the block's tests (then runs `ready`, e.g. a first
 * login) and stops it by its PID after them. Read `suite.url` inside the tests.
 */
export function daemonPerSuite(
  config: () => unknown,
  ready: (suite: SuiteDaemon) => Promise<void> = () => Promise.resolve(),
): SuiteDaemon {
  const state: { daemon?: RunningDaemon; url?: string } = {};
  before(async () => {
    state.daemon = new RunningDaemon(configDir(await config()));
    state.url = await state.daemon.url();
    await ready(suite);
  });
  after(async () => {
    state.daemon?.child.kill('SIGTERM');
    await state.daemon?.exit();
  });
  const suite: SuiteDaemon = {
    get daemon() {
      if (state.daemon === undefined) throw new Error('the suite daemon is not started yet');
      return state.daemon;
    },
    get url() {
      if (state.url === undefined) throw new Error('the suite daemon is not listening yet');
      return state.url;
    },
  };
  return suite;
}
