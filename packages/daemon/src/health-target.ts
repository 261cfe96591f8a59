/**
 * What `switchboard health` asks, read from the config alone: the http channel's /healthz (its
 * listen address, basePath and TLS), else the smtp channel's greeting. A daemon listening on
 * every address is asked on loopback, which is where a health check runs (DESIGN §17).
 */
import { parseListen, joinHostPort, type Config } from '@switchboard/core';

/** Where to ask, or why there is nothing to ask. */
export type HealthTarget =
  | { readonly kind: 'http'; readonly url: string; readonly tls: boolean }
  | { readonly kind: 'smtp'; readonly host: string; readonly port: number; readonly shown: string }
  | { readonly kind: 'unhealthy'; readonly reason: string }
  | { readonly kind: 'unchecked'; readonly reason: string };

/** Wildcard addresses and the loopback address that reaches a daemon bound to them. */
const LOOPBACK_FOR: Readonly<Record<string, string>> = {
  '0.0.0.0': '127.0.0.1',
  '::': '::1',
  '': '127.0.0.1',
};

/** The health check for `config`. */
export function healthTarget(config: Config): HealthTarget {
  if (config.http?.enabled === true) {
    const { host, port } = parseListen(config.http.listen, 'http.listen');
    if (port === 0) return portZero('http.listen');
    const tls = config.http.tls !== undefined;
    const address = joinHostPort(LOOPBACK_FOR[host] ?? host, port);
    return {
      kind: 'http',
      url: `${tls ? 'https' : 'http'}://${address}${config.http.basePath}/healthz`,
      tls,
    };
  }
  if (config.smtp?.enabled === true) {
    const { host, port } = parseListen(config.smtp.listen, 'smtp.listen');
    if (port === 0) return portZero('smtp.listen');
    const asked = LOOPBACK_FOR[host] ?? host;
    return { kind: 'smtp', host: asked, port, shown: `smtp://${joinHostPort(asked, port)}` };
  }
  if (config.telegram?.enabled === true) {
    return { kind: 'unchecked', reason: 'telegram listens nowhere, so there is nothing to ask' };
  }
  return { kind: 'unhealthy', reason: 'no http or smtp channel to ask in the config' };
}

function portZero(key: string): HealthTarget {
  return {
    kind: 'unhealthy',
    reason: `${key} has port 0, chosen anew at each start; give it a fixed port to be asked`,
  };
}
