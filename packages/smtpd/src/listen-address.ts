/**
 * Splits a config `listen` value (`host:port`, IPv6 hosts in brackets) for net.Server.listen.
 */

/** A parsed `listen` value. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:2525` → {host, port}; `[::1]:25` → host `::1`. Throws on anything else. */
export function parseListen(listen: string): ListenAddress {
  const colon = listen.lastIndexOf(':');
  const rawHost = listen.slice(0, colon);
  const port = Number(listen.slice(colon + 1));
  // The schema already checked the shape; this guards direct callers.
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`smtp.listen: must be host:port, got ${JSON.stringify(listen)}`);
  }
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  return { host, port };
}

/** The form used in log lines and ChannelHandle.address: `smtp://host:port`. */
export function formatListen({ host, port }: ListenAddress): string {
  return `smtp://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
