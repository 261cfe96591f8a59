/**
 * Starts the HTTP channel: the express app on `http.listen`, over TLS when `http.tls` is set.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  joinHostPort,
  listenAt,
  readTlsFiles,
  type ChannelHandle,
  type HttpConfig,
  type Runtime,
} from '@switchboard/core';
import { createApiHandler, type FastHandler } from './api-handler.js';
import type { TrustFn } from './client-address.js';
import { createHttpApp, type HttpApp, type HttpAppOptions } from './http-app.js';
import { securityHeaders } from './security-headers.js';

/** How long close() lets in-flight requests finish before cutting connections. */
const CLOSE_GRACE_MS = 10_000;

/** The HTTP channel before and after it listens. */
export interface HttpChannel extends Pick<HttpApp, 'mount'> {
  /** Binds `http.listen` and serves; resolves once listening. */
  listen(): Promise<ChannelHandle>;
}

/** Creates the channel from the http block in force now; throws if it is absent. */
export function createHttpChannel(runtime: Runtime, options: HttpAppOptions = {}): HttpChannel {
  const http = runtime.config().http;
  if (http === undefined) throw new Error('the http channel is not configured');
  const headers = securityHeaders();
  const httpApp = createHttpApp(runtime, http, headers, options);
  const { app, mount } = httpApp;
  const trust: unknown = app.get('trust proxy fn');
  const api = createApiHandler(
    runtime,
    http,
    headers,
    http.trustProxy.length > 0 && typeof trust === 'function' ? (trust as TrustFn) : undefined,
  );
  return { mount, listen: () => listen(httpApp, api, http) };
}

async function listen(
  { app, dispose, stop }: HttpApp,
  api: FastHandler,
  http: HttpConfig,
): Promise<ChannelHandle> {
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (!api(req, res)) app(req, res);
  };
  const server: Server =
    http.tls === undefined
      ? createHttpServer(serve)
      : createHttpsServer(await readTlsFiles('http.tls', http.tls), serve);
  // Slow-loris protection: a client must send its headers and body promptly.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  const bound = await listenAt(server, http.listen, 'http.listen');
  const scheme = http.tls === undefined ? 'http' : 'https';
  return {
    address: `${scheme}://${joinHostPort(bound.address, bound.port)}${http.basePath}/`,
    port: bound.port,
    async close() {
      stop();
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      // Keep-alive connections go idle as their last responses finish: close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => {
        server.closeIdleConnections();
      }, 100);
      const timer = setTimeout(() => {
        server.closeAllConnections();
      }, CLOSE_GRACE_MS);
      await closed;
      clearInterval(sweep);
      clearTimeout(timer);
      dispose();
    },
  };
}
