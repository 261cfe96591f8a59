/**
 * Test support (not exported): `switchboard run` as a child process with its parsed log lines,
 * and config files in fresh directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
/** The repository's example config. */
export const EXAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../config.example.json',
);

/** One parsed log line. */
export interface LogLine {
  msg?: string;
  channel?: string;
  address?: string;
  problems?: string[];
  [key: string]: unknown;
}

/** A daemon child process and its parsed log lines. */
export class RunningDaemon {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stderr = '';
  readonly #waiters: (() => void)[] = [];

  constructor(readonly configPath: string) {
    this.child = spawn(process.execPath, [CLI, 'run', '-c', configPath], {
      env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.lines.push({ msg: line });
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Waits (up to 10 s) for a log line that satisfies `match`, counting from line `from`. */
  async waitFor(match: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no such log line; got:\n${JSON.stringify(this.lines)}\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** The http channel's URL from its "listening" line (after line `from`). */
  async url(from = 0): Promise<string> {
    const line = await this.waitFor((l) => l.msg === 'listening' && l.channel === 'http', from);
    return String(line.address).replace(/\/$/, '');
  }

  async exit(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const [code] = (await once(this.child, 'exit')) as [number | null];
    return code;
  }
}

/** Writes `config` as JSON to `path`. */
export function writeConfig(path: string, config: unknown): void {
  writeFileSync(path, JSON.stringify(config, null, 2));
}

/** A config file in a fresh directory; returns its path. */
export function configDir(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-run-')), 'config.json');
  writeConfig(path, config);
  return path;
}
