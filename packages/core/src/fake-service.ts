/**
 * Test support: a local HTTP service on 127.0.0.1 that answers each request with what
 * `answer` says, or holds every request open once told to hang (a service that never answers).
 * The fakes of Twilio's and WolframAlpha's APIs are built on it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake's answer function sees it, its body read whole. */
export interface FakeRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** What to answer. */
export interface FakeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A running fake. */
export interface FakeService {
  readonly url: string;
  /** From now on every request is held open (after `answer` saw it) until `close()`. */
  hang(): void;
  close(): Promise<void>;
}

/** A JSON answer. */
export function jsonAnswer(status: number, value: unknown): FakeAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Starts a fake that answers with `answer`. */
export async function startFakeService(
  answer: (request: FakeRequest) => FakeAnswer,
): Promise<FakeService> {
  const held = new Set<IncomingMessage>();
  const state = { hanging: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = answer({
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body,
      });
      if (state.hanging) {
        held.add(req);
        return;
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hang: () => {
      state.hanging = true;
    },
    close: async () => {
      for (const req of held) req.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
