/**
 * Test support (`@switchboard/core/testing`): a real redis-server (Debian's) on a loopback port,
 * started and stopped by PID, without persistence, so a restart comes back empty like a Redis
 * that lost its data. scripts/system-deps.sh installs it when missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { freePort } from './free-port.js';

const READY = /Ready to accept connections/;

/** One redis-server; start() again after stop() brings it back on the same port, empty. */
export class RedisServer {
  #child?: ChildProcess;

  private constructor(readonly port: number) {}

  /** Starts a redis-server on a free loopback port and waits until it accepts connections. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  /** `redis://127.0.0.1:PORT`. */
  get url(): string {
    return `redis://127.0.0.1:${String(this.port)}`;
  }

  /** Runs the server (again); resolves once it logs that it is ready. */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#child = child;
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        output += `${line}\n`;
        if (READY.test(line)) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        reject(new Error(`redis-server exited ${String(code)}:\n${output}`));
      });
    });
    await ready;
  }

  /** Stops the server by its PID (SIGKILL: a crash, nothing flushed) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child?.pid === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }
}
