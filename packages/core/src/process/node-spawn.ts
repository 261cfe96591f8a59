/**
 * The `child_process` backend: Node's own spawn, for systems without posix_spawn through koffi.
 * libuv forks on the event-loop thread, so each spawn costs more the larger the daemon's heap.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  SpawnError,
  type Exit,
  type SpawnBackend,
  type Spawned,
  type SpawnRequest,
} from './spawn-backend.js';

/** Starts programs with child_process.spawn. */
export class NodeSpawnBackend implements SpawnBackend {
  readonly name = 'child_process' as const;

  async start(request: SpawnRequest): Promise<Spawned> {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(request.file, request.args, {
        detached: true, // setsid: its own process group, so a timeout can stop every descendant
        stdio: ['ignore', 'pipe', 'pipe'],
        env: request.env,
      });
      // Some failures throw at once (ENOTDIR), the others come as 'error' instead of 'spawn'.
      await once(child, 'spawn');
    } catch (err) {
      throw new SpawnError(request.file, (err as NodeJS.ErrnoException).code ?? 'EIO');
    }
    const { pid } = child;
    if (pid === undefined) throw new SpawnError(request.file, 'EIO');
    const { stdout, stderr } = child;
    if (stdout === null || stderr === null) throw new SpawnError(request.file, 'EIO');
    stdout.on('data', request.onOutput);
    stderr.on('data', request.onOutput);
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    // 'close' comes once the process exited and both pipes are drained.
    const outputEnded = once(child, 'close').then(() => undefined);
    return {
      pid,
      exited,
      outputEnded,
      abandonOutput() {
        stdout.destroy();
        stderr.destroy();
      },
    };
  }
}
