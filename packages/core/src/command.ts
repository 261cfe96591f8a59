import type { PipelineError } from './errors.js';

/** The channels that feed the pipeline; each has its own filters, limits and timeout. */
export const CHANNELS = ['http', 'smtp', 'telegram', 'twilio'] as const;

/** A channel name. */
export type ChannelName = (typeof CHANNELS)[number];

/** One command as a channel received it (DESIGN §2). */
export interface Command {
  readonly channel: ChannelName;
  /** Who sent it as the channel knows them: client IP, phone number, chat id, mail sender. */
  readonly source: string;
  /** The raw text, password or code pair included. */
  readonly content: string;
  readonly timeoutSec: number;
  /** An API key presented with it (HTTP `Authorization: Bearer`); then `content` has no password. */
  readonly apiKey?: string;
  /** Named arguments of a named command (`POST /api/commands/{name}`), in place of positional ones. */
  readonly args?: Readonly<Record<string, string>>;
}

/** A caller that takes the output as it is produced (DESIGN §12, streamed answers). */
export interface LiveOutput {
  /** Each chunk an app's program writes, raw (before lintText), as it arrives. */
  onOutput(chunk: Buffer): void;
  /** Aborting it stops the command as its timeout would (the caller went away). */
  readonly signal?: AbortSignal;
}

/** A file that goes with a result (a chart): channels that carry pictures send it. */
export interface Attachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** What the pipeline made of a command. */
export interface Result {
  /** The command as run: content is the filtered text (no password), `<hidden>` for sensitive apps. */
  readonly command: Command;
  readonly output: string;
  readonly error?: PipelineError;
  /** `error|output` when both exist, else whichever exists; after lintText. */
  readonly combinedOutput: string;
  /** A picture to send along; text-only channels answer with combinedOutput alone. */
  readonly attachment?: Attachment;
}

/** `error + "|" + output` when both are non-empty, else whichever exists. */
export function combine(error: string, output: string): string {
  if (error !== '' && output !== '') return `${error}|${output}`;
  return error !== '' ? error : output;
}
