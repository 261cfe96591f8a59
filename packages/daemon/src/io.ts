/** Where a CLI verb reads and writes: the real process, or a test's capture. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTty: boolean;
}

/** Exit statuses of the CLI (DESIGN §8). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for a usage or config error; the message is printed, the exit status is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
