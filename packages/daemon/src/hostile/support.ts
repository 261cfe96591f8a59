/**
 * Test support for the hostile-conditions suites (not exported, not a test file): ports that
 * are taken or free, an SMTP greeting, a bounded wait for exit and a Bot API whose getMe the
 * test controls.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { WAIT_MS } from '@switchboard/core/testing';
import type { RunningDaemon } from '../harness.js';

/** A loopback port someone else holds until close(). */
export interface TakenPort {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on loopback `port` (0: any free one) and keeps it, so nobody else can bind it. */
export async function takePort(port = 0): Promise<TakenPort> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server),
  };
}

/** A loopback port that was free a moment ago (for a fixed `listen` that a restart re-binds). */
export async function freePort(): Promise<number> {
  const taken = await takePort();
  await taken.close();
  return taken.port;
}

/** The first line an SMTP server on loopback `port` sends. */
export async function smtpGreeting(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  try {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    return chunk.toString('utf8').split('\r\n')[0] ?? '';
  } finally {
    socket.destroy();
  }
}

/**
 * The daemon's exit code, or a failure if it is still running after `WAIT_MS` (then it is
 * killed, so a failing test leaves nothing behind).
 */
export async function exitWithin(daemon: RunningDaemon): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(resolve, WAIT_MS, 'hung')));
  const outcome = await Promise.race([daemon.exit(), hung]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    daemon.child.kill('SIGKILL');
    await daemon.exit();
    throw new Error(
      `the daemon was still running ${WAIT_MS} ms after being told to stop; log:\n` +
        daemon.lines.map((l) => JSON.stringify(l)).join('\n'),
    );
  }
  return outcome;
}

/** A local Bot API: getMe is answered by `onGetMe`, every other method with `ok: true`. */
export interface BotApi {
  readonly url: string;
  /** getMe calls received so far. */
  readonly getMeCalls: number;
  close(): Promise<void>;
}

/** Starts a Bot API on loopback; `onGetMe` gets the response to answer (or to hold). */
export async function startBotApi(onGetMe: (res: ServerResponse) => void): Promise<BotApi> {
  let getMeCalls = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/getMe') === true) {
        getMeCalls++;
        onGetMe(res);
        return;
      }
      // A long poll that never ends: no busy loop of empty answers (close() cuts it).
      if (method(req.url) === 'getUpdates') return;
      answer(res, 200, { ok: true, result: true });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get getMeCalls() {
      return getMeCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Writes a Bot API JSON answer. */
export function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The getMe result of a working token. */
export const BOT_USER = { id: 1, is_bot: true, first_name: 'SB', username: 'sb_bot' };

/** Closes `server`; resolves even if it was closed already. */
function closeServer(server: { close(callback: () => void): unknown }): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

function method(url: string | undefined): string {
  return url?.split('/').pop() ?? '';
}
