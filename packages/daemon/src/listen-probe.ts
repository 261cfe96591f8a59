/**
 * Before a reload closes the running channels, checks that the new config's listen addresses
 * can be bound (DESIGN §10): an address someone else holds fails the reload while the old
 * listeners still serve, instead of after they are gone.
 */
import { createServer } from 'node:net';
import { listenAt, parseListen, type Config } from '@switchboard/core';
import type { RunningChannel } from './channels.js';

/**
 * Binds and releases each enabled channel's new `listen`, except on ports our running channels
 * hold (the restart itself frees those); rejects with the first ConfigKeyError.
 */
export async function probeListens(
  config: Config,
  running: readonly RunningChannel[],
): Promise<void> {
  const held = new Set(running.map((c) => c.handle.port));
  const wanted: [string, { readonly enabled: boolean; readonly listen: string } | undefined][] = [
    ['http.listen', config.http],
    ['smtp.listen', config.smtp],
  ];
  for (const [key, block] of wanted) {
    if (block?.enabled !== true) continue;
    const { port } = parseListen(block.listen, key);
    if (port !== 0 && held.has(port)) continue;
    await probe(block.listen, key);
  }
}

/** Binds `listen` and closes it again at once. */
async function probe(listen: string, key: string): Promise<void> {
  const server = createServer();
  try {
    await listenAt(server, listen, key);
  } finally {
    if (server.listening) {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
  }
}
