/**
 * The daemon's end of the control socket (DESIGN §12): a Unix socket at `control.socket`,
 * mode 0600 from the moment it exists, in a folder made 0700 when missing. A socket file that
 * nobody answers on (a daemon that crashed) is replaced; one that a daemon answers on is never
 * taken over. Requests are answered in order, one line each; closing removes the file.
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { ConfigKeyError, failureText } from '@switchboard/core';
import { perform, type ControlTarget } from './actions.js';
import {
  LineReader,
  MAX_ANSWER_BYTES,
  MAX_REQUEST_BYTES,
  parseRequest,
  socketPathProblem,
  type Answer,
} from './protocol.js';

/** The config key every start-up failure here names. */
const KEY = 'control.socket';
/** Clients at once; `ctl` uses one, a script a few. */
const MAX_CONNECTIONS = 16;
/** A connection idle this long is closed. */
const IDLE_MS = 60_000;

/** The listening control socket. */
export interface ControlSocket {
  /** Stops listening, closes the connections and removes the socket file. */
  close(): Promise<void>;
}

/** Listens on `path` for `target`; throws a ConfigKeyError naming `control.socket`. */
export async function openControlSocket(
  path: string,
  target: ControlTarget,
): Promise<ControlSocket> {
  const problem = socketPathProblem(path);
  if (problem !== undefined) throw new ConfigKeyError(KEY, problem);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw ConfigKeyError.from(KEY, error, `cannot use ${dirname(path)}`);
  }
  if (await removeStale(path)) {
    target.services.logger.info({ socket: path }, 'control socket: replaced a stale one');
  }
  const connections = new Set<Socket>();
  // Half-open: a script that writes its requests and then ends (`printf ... | nc -U`) still
  // reads every answer; the daemon ends its side after the last one.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    serve(socket, target, connections);
  });
  server.maxConnections = MAX_CONNECTIONS;
  await listen(server, path);
  server.on('error', (error) => {
    target.services.logger.error({ err: failureText(error) }, 'control socket failed');
  });
  target.services.logger.info({ socket: path }, 'control socket listening');
  return {
    close: () => {
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      for (const socket of connections) socket.destroy();
      return closed;
    },
  };
}

/**
 * Removes a socket file at `path` that nobody answers on; true when it did. Throws when the
 * path is something else, or a daemon answers there.
 */
async function removeStale(path: string): Promise<boolean> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw ConfigKeyError.from(KEY, error);
  }
  if (!stat.isSocket()) throw new ConfigKeyError(KEY, `${path} is not a socket`);
  const refusal = await new Promise<unknown>((resolve) => {
    const probe = connect(path, () => {
      probe.destroy();
      resolve(undefined);
    });
    probe.on('error', resolve);
  });
  if (refusal === undefined) throw new ConfigKeyError(KEY, 'in use by another daemon');
  if (!isCode(refusal, 'ECONNREFUSED')) throw ConfigKeyError.from(KEY, refusal);
  await rm(path, { force: true });
  return true;
}

/** Binds `server` to `path` with mode 0600. */
function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      // Lost a race with another daemon starting on the same socket.
      reject(
        isCode(error, 'EADDRINUSE')
          ? new ConfigKeyError(KEY, 'in use by another daemon')
          : ConfigKeyError.from(KEY, error),
      );
    };
    server.once('error', fail).once('listening', () => {
      server.off('error', fail);
      resolve();
    });
    // bind() creates the file inside listen(), synchronously: under this umask it is 0600 from
    // its first moment, so no other user can connect in between.
    const umask = process.umask(0o177);
    try {
      server.listen(path);
    } finally {
      process.umask(umask);
    }
  });
}

/** Answers the requests of one connection, in order; a line too long ends it. */
function serve(socket: Socket, target: ControlTarget, connections: Set<Socket>): void {
  connections.add(socket);
  socket.once('close', () => connections.delete(socket));
  // A client that goes away before its answer is no failure of the daemon's.
  socket.on('error', () => undefined);
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  const reader = new LineReader(MAX_REQUEST_BYTES);
  let answering = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    const lines = reader.push(chunk);
    if (lines === 'too long') {
      socket.removeAllListeners('data');
      const error = `request too long: at most ${MAX_REQUEST_BYTES} bytes a line`;
      answering = answering.then(() => {
        // The rest of that line is not read: once the answer is out, the connection goes.
        socket.end(`${JSON.stringify({ ok: false, error })}\n`, () => socket.destroy());
      });
      return;
    }
    for (const line of lines) {
      answering = answering.then(async () => {
        socket.write(await answer(line, target));
      });
    }
  });
  socket.on('end', () => {
    answering = answering.then(() => {
      socket.end();
    });
  });
}

/** The answer line to one request line; never throws. */
async function answer(line: string, target: ControlTarget): Promise<string> {
  const request = parseRequest(line);
  let reply: Answer;
  if ('error' in request) {
    reply = { ok: false, error: request.error };
  } else {
    try {
      reply = { ok: true, result: await perform(request, target) };
    } catch (error) {
      target.services.logger.error(
        { verb: request.verb, err: failureText(error) },
        'control: failed',
      );
      reply = { ok: false, error: `${request.verb} failed: ${failureText(error)}` };
    }
  }
  const text = JSON.stringify(reply);
  return Buffer.byteLength(text) < MAX_ANSWER_BYTES
    ? `${text}\n`
    : `${JSON.stringify({ ok: false, error: 'answer too long' })}\n`;
}

/** Whether `error` is a system error with `code`. */
function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
