/**
 * Test support (`@switchboard/core/testing`): the feed server of feed-server-main.ts, a process
 * of its own on a free loopback port, stopped by its PID.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running feed server. */
export interface FeedServer {
  /** `http://127.0.0.1:PORT`; the feeds are at `/rss.xml`, `/atom.xml`, `/rdf.xml`, … */
  readonly url: string;
  /** Stops it by its PID. */
  stop(): Promise<void>;
}

/** Starts a feed server and waits until it listens. */
export async function startFeedServer(): Promise<FeedServer> {
  const main = join(dirname(fileURLToPath(import.meta.url)), 'feed-server-main.js');
  const child = spawn(process.execPath, [main], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [port] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the feed server exited before it listened');
    }),
  ])) as [string];
  lines.close();
  const pid = child.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      await once(child, 'exit');
    },
  };
}
