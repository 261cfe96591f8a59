/** The client's end of the control socket: one request, one answer, each bounded. */
import { connect } from 'node:net';
import { jsonObject, systemReason } from '@switchboard/core';
import { LineReader, MAX_ANSWER_BYTES, type Answer, type Request } from './protocol.js';

/** How long the client waits for an answer: a reload that restarts channels takes a while. */
const ANSWER_MS = 60_000;

/** Why no answer came; the message is what `ctl` prints after `ctl: `. */
export class NoAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoAnswerError';
  }
}

/** Sends `request` to the daemon on `path`; resolves to its answer, or throws NoAnswerError. */
export function ask(path: string, request: Request): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const reader = new LineReader(MAX_ANSWER_BYTES);
    const socket = connect(path, () => socket.write(`${JSON.stringify(request)}\n`));
    const fail = (message: string): void => {
      socket.destroy();
      reject(new NoAnswerError(message));
    };
    socket.setTimeout(ANSWER_MS, () => {
      fail(`no answer from the daemon on ${path} within ${ANSWER_MS / 1000} s`);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      fail(connectFailure(path, error));
    });
    socket.on('close', () => {
      fail(`the daemon on ${path} closed the connection without answering`);
    });
    socket.on('data', (chunk: Buffer) => {
      const lines = reader.push(chunk);
      if (lines === 'too long') {
        fail(`the answer from ${path} is over ${MAX_ANSWER_BYTES} bytes`);
        return;
      }
      const [line] = lines;
      if (line === undefined) return;
      socket.end();
      const answer = parseAnswer(line);
      if (answer === undefined) fail(`malformed answer from the daemon on ${path}`);
      else resolve(answer);
    });
  });
}

/** What a failure to connect means to the user. */
function connectFailure(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `no daemon is listening on ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${path}: run ctl as the user the daemon runs as`;
    default:
      return `cannot talk to the daemon on ${path}: ${systemReason(error)}`;
  }
}

/** An answer line, or undefined when it is not one. */
function parseAnswer(line: string): Answer | undefined {
  const value = jsonObject(line);
  if (value === undefined) return undefined;
  const { ok, result, error } = value;
  if (ok === true) return { ok, result };
  return ok === false && typeof error === 'string' ? { ok, error } : undefined;
}
