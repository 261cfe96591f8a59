// Runs one HTTP load job in a forked load-child.mjs and returns its summary; the child is
// stopped by PID if anything goes wrong.
import { fork } from 'node:child_process';
import { stopProcess } from './proc.mjs';

const CHILD = new URL('./load-child.mjs', import.meta.url);

/** Requests per second, p50 and p99 latency (ms), and counts by outcome. */
export async function httpLoad(job) {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const summary = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => {
        reject(new Error(`load child exited with ${code} before answering`));
      });
      child.send(job);
    });
    if (summary.error !== undefined) throw new Error(`load: ${summary.error}`);
    return summary;
  } finally {
    await stopProcess(child);
  }
}
