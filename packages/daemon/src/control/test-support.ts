/** Test support (not exported): the control socket's protocol spoken by hand. */
import { connect } from 'node:net';

/**
 * Connects to `path`, writes `text` and ends its side, as `printf ... | nc -U` does; collects
 * the answer lines (parsed) until the daemon closes the connection.
 */
export function exchange(path: string, text: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const answers: unknown[] = [];
    let buffer = '';
    const socket = connect(path, () => socket.end(text));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(buffer.slice(0, end)));
        buffer = buffer.slice(end + 1);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(answers);
    });
  });
}

/** The error code a connection to `path` fails with, or undefined when it connects. */
export function connectError(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path, () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });
}
