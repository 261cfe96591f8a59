/**
 * Test support (not exported): one bash process per page, fed the page's commands one after
 * another as a reader would type them in one terminal (so `export`, `cd` and `$?` carry over).
 * stdin of each command is /dev/null; stdout and stderr are read together.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/core/testing';

/** What one command printed (stdout and stderr) and its exit status. */
export interface ShellResult {
  readonly output: string;
  readonly status: number;
}

/** A bash process that runs commands one at a time. */
export class ShellSession {
  readonly #bash: ChildProcessWithoutNullStreams;
  #buffer = '';
  #exited = false;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.#bash = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: 'pipe' });
    this.#bash.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.#buffer += chunk));
    this.#bash.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.#buffer += chunk));
    this.#bash.once('exit', () => (this.#exited = true));
    this.#bash.stdin.write('exec 2>&1\n');
  }

  /** Runs `command` and resolves once it has finished. */
  async run(command: string): Promise<ShellResult> {
    const token = randomUUID();
    this.#buffer = '';
    // The status is printed after a marker, then set again so that the next command's `$?`
    // is this command's.
    this.#bash.stdin.write(
      `{ ${command}\n} </dev/null\n` +
        `__sb_status=$?; printf '\\n\\036%s %d\\n' ${token} "$__sb_status"; (exit $__sb_status)\n`,
    );
    const marker = new RegExp(`\\n\\x1e${token} (\\d+)\\n`);
    await waitFor(`the command to finish: ${command}`, () => {
      if (this.#exited) throw new Error(`bash exited while running: ${command}\n${this.#buffer}`);
      return marker.test(this.#buffer);
    });
    const found = marker.exec(this.#buffer);
    return {
      output: this.#buffer.slice(0, found?.index ?? 0),
      status: Number(found?.[1] ?? -1),
    };
  }

  /** Ends the shell. */
  close(): void {
    this.#bash.stdin.end();
    if (!this.#exited) this.#bash.kill('SIGTERM');
  }
}
