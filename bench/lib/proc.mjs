// Child processes of the benchmark: servers under test (spawned), load generators (forked),
// readiness polling, resident memory from /proc, and stopping by PID.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (bound, then released for the child to take). */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Spawns `node <args>` as a server under test. Its stdout is discarded (the daemon logs a JSON
 * line per command there, as it would to journald); stderr is kept for error messages.
 */
export function spawnServer(args, options = {}) {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return { child, pid: child.pid, stderr: () => stderr };
}

/** Resolves once `url` answers 200 to a GET; rejects if the child exits or time runs out. */
export async function waitForHttp(server, url, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive(server);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms\n${server.stderr()}`);
}

/** Resolves once a TCP connection to `port` succeeds (an SMTP server, say). */
export async function waitForPort(server, port, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive(server);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(10);
  }
  throw new Error(`port ${port} was not open within ${timeoutMs} ms\n${server.stderr()}`);
}

function assertAlive(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    throw new Error(`server exited early (${server.child.exitCode})\n${server.stderr()}`);
  }
}

/** Stops a child by its PID: SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
export async function stopProcess(child, graceMs = 5000) {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MiB, from /proc/<pid>/status VmRSS. */
export async function rssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}
