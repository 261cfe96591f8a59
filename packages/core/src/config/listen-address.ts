/**
 * The one `host:port` parser (STYLE: one place for each rule): `listen` values of every channel,
 * IPv6 hosts in brackets. The schema checks the shape at load; this splits it for net.listen,
 * and listenAt() binds it so that a failure names the config key.
 */
import type { AddressInfo, Server } from 'node:net';
import { ConfigKeyError } from './config-key-error.js';

/** A parsed `listen` value. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * `127.0.0.1:2525` → {host, port}; `[::1]:25` → host `::1`. Throws a ConfigKeyError naming
 * `key` for anything else (the schema already refused it; this guards direct callers).
 */
export function parseListen(listen: string, key = 'listen'): ListenAddress {
  const colon = listen.lastIndexOf(':');
  const rawHost = listen.slice(0, colon);
  const rawPort = listen.slice(colon + 1);
  const port = Number(rawPort);
  if (colon <= 0 || !/^\d+$/.test(rawPort) || port > 65535) {
    throw new ConfigKeyError(key, `must be host:port, got ${JSON.stringify(listen)}`);
  }
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  return { host, port };
}

/** `host:port` again, an IPv6 host in brackets (for URLs and log lines). */
export function joinHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Binds `server` to the `listen` value of config key `key`; resolves with the bound address,
 * or rejects with a ConfigKeyError (`http.listen: address already in use`).
 */
export async function listenAt(server: Server, listen: string, key: string): Promise<AddressInfo> {
  const { host, port } = parseListen(listen, key);
  await new Promise<void>((resolve, reject) => {
    const refused = (err: unknown): void => {
      reject(ConfigKeyError.from(key, err));
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
