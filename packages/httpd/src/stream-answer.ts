/**
 * Streamed answers (DESIGN §12): with `Accept: application/x-ndjson`, a command's output goes
 * out as `{"output": "..."}` lines while its program writes, then one final
 * `{"ok": bool, "error": string|null}`. What a client does not read in time is not buffered
 * without bound: past STREAM_BUFFER_BYTES, output is skipped and the skip is said in a line.
 * A client that goes away stops the command or lets it finish, as `http.stream.onDisconnect`
 * says; the log says which.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Command, Result, Runtime } from '@switchboard/core';
import type { HeaderSet } from './security-headers.js';
import { STATUS_OF } from './status.js';

/** The media type that asks for a stream. */
export const NDJSON = 'application/x-ndjson';

/** Output held for a slow client before chunks are skipped. */
export const STREAM_BUFFER_BYTES = 1024 * 1024;

/** Whether `req` asks for a streamed answer. */
export function wantsStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes(NDJSON);
}

/** Runs `command` and streams its answer on `res`. */
export function streamAnswer(
  runtime: Runtime,
  res: ServerResponse,
  command: Command,
  headers: HeaderSet,
): Promise<Result> {
  const ndjson = { ...headers, 'content-type': `${NDJSON}; charset=utf-8` };
  const decoder = new StringDecoder('utf8');
  const stop = new AbortController();
  const state = { started: false, gone: false, skipped: 0 };
  const line = (value: unknown): void => {
    res.write(`${JSON.stringify(value)}\n`);
  };
  const start = (status: number): void => {
    if (state.started) return;
    state.started = true;
    res.writeHead(status, ndjson);
  };
  res.on('close', () => {
    if (res.writableFinished) return;
    state.gone = true;
    const stopIt = runtime.config().http?.stream.onDisconnect === 'stop';
    runtime.services.logger.warn(
      { channel: 'http', source: command.source, command: 'streamed' },
      stopIt
        ? 'stream client went away: the command is stopped (http.stream.onDisconnect)'
        : 'stream client went away: the command runs to its end (http.stream.onDisconnect)',
    );
    if (stopIt) stop.abort();
  });
  res.on('drain', () => {
    if (state.skipped === 0 || state.gone) return;
    line({
      output: `\n[${state.skipped} bytes skipped: the client read slower than the output came]\n`,
    });
    state.skipped = 0;
  });
  const live = {
    signal: stop.signal,
    onOutput(chunk: Buffer): void {
      if (state.gone) return;
      const text = decoder.write(chunk);
      if (text === '') return;
      start(200);
      if (res.writableLength > STREAM_BUFFER_BYTES) state.skipped += Buffer.byteLength(text);
      else line({ output: text });
    },
  };
  return runtime.process(command, live).then((result) => {
    if (state.gone) return result;
    const rest = decoder.end();
    if (!state.started) {
      // Nothing streamed (a refusal, or an app that does not run a program): its whole answer.
      start(result.error === undefined ? 200 : STATUS_OF[result.error.replyClass]);
      if (result.output !== '') line({ output: result.output });
    } else if (rest !== '') line({ output: rest });
    res.end(
      `${JSON.stringify({ ok: result.error === undefined, error: result.error?.message ?? null })}\n`,
    );
    return result;
  });
}
