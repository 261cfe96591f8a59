// The real daemon under test: a generated config in a temporary directory (limits raised so
// that the guard never refuses the benchmark's own load), started as `switchboard run`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnServer, stopProcess, waitForHttp } from './proc.mjs';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'packages/daemon/dist/cli.js');

/** The password every benchmark config uses. */
export const PASSWORD = 'bench-password-1';
/** Far above anything a benchmark reaches. */
const HUGE = 1_000_000_000;
const UNLIMITED = { requests: HUGE, perSec: 1 };

/**
 * A config with the http channel on `port`, unrestricted shell, no relay (mail waits in the
 * outbox) and every limit raised; `extra` is merged over the top level.
 */
export function benchConfig(dir, port, extra = {}) {
  return {
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { shell: { unrestricted: true } },
    mail: { outbox: join(dir, 'outbox') },
    limits: { commandsPerSecond: 1_000_000, failedLoginsBeforeBan: HUGE },
    http: { listen: `127.0.0.1:${port}`, rateLimit: UNLIMITED },
    ...extra,
  };
}

/** Per-source limits raised for a channel block. */
export const unlimited = () => ({ ...UNLIMITED });

/**
 * Starts a daemon; `makeConfig(dir, httpPort)` returns the config object, `env` is added to its
 * environment. Resolves to the server (child, pid), its base URL, directory, the
 * spawn-to-first-200 time, and stop().
 */
export async function startDaemon(makeConfig = benchConfig, env = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const port = await freePort();
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(makeConfig(dir, port), null, 2));
  const started = performance.now();
  const server = spawnServer([CLI, 'run', '-c', path], { cwd: dir, env });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(server, `${url}/healthz`);
  } catch (error) {
    await stopProcess(server.child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const startupMs = performance.now() - started;
  return {
    ...server,
    url,
    dir,
    startupMs,
    async stop() {
      await stopProcess(server.child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
