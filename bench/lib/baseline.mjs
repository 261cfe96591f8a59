// Starts a baseline server from bench/baselines/ in its own process.
import { fileURLToPath } from 'node:url';
import { freePort, spawnServer, stopProcess, waitForHttp, waitForPort } from './proc.mjs';

/** Spawns `bench/baselines/<name>.mjs <port>` and waits until it serves (http or tcp). */
export async function startBaseline(name, kind = 'http') {
  const port = await freePort();
  const script = fileURLToPath(new URL(`../baselines/${name}.mjs`, import.meta.url));
  const server = spawnServer([script, String(port)]);
  const url = `http://127.0.0.1:${port}`;
  try {
    if (kind === 'http') await waitForHttp(server, `${url}/`);
    else await waitForPort(server, port);
  } catch (error) {
    await stopProcess(server.child);
    throw error;
  }
  return { ...server, port, url, stop: () => stopProcess(server.child) };
}
