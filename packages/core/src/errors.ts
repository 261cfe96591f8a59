/**
 * Every error the pipeline can put in a Result, in one table: its text and its reply class.
 * Channels map the reply class to their own answer (an HTTP status, an empty TwiML reply, ...).
 * docs/errors.md lists the same codes; a test keeps the two in step.
 */

/** How a channel should answer an error: the class decides the HTTP status and similar. */
export type ReplyClass =
  | 'badRequest' // 400: the request itself is malformed
  | 'unauthorized' // 401: no valid password, shortcut or code pair
  | 'banned' // 403: the source is banned after failed logins
  | 'forbidden' // 403: authenticated, but this command is outside what the credential allows
  | 'notFound' // 404: no such named command (among those the caller may run)
  | 'tooLarge' // 413: the command exceeds the size cap
  | 'rateLimited' // 429: a rate limit refused the command
  | 'unavailable' // 503: lockdown or maintenance refuses everything
  | 'command'; // 200: authorised, the command (or its app) failed

interface ErrorSpec {
  readonly message: string;
  readonly replyClass: ReplyClass;
}

/** The pipeline's error codes with their fixed texts (DESIGN §2). */
export const ERRORS = {
  LOCKED_DOWN: { message: 'LOCKED DOWN', replyClass: 'unavailable' },
  UNDER_MAINTENANCE: { message: 'under maintenance', replyClass: 'unavailable' },
  RATE_LIMITED: { message: 'rate limited', replyClass: 'rateLimited' },
  BANNED: { message: 'banned', replyClass: 'banned' },
  TOO_LONG: { message: 'command is too long (max 16384 bytes)', replyClass: 'tooLarge' },
  INVALID_TEXT: {
    message: 'command is not valid text (invalid UTF-8 or a control character)',
    replyClass: 'badRequest',
  },
  INVALID_LOGIN: { message: 'invalid password or shortcut', replyClass: 'unauthorized' },
  INVALID_KEY: { message: 'invalid API key', replyClass: 'unauthorized' },
  NOT_PERMITTED: { message: 'not permitted', replyClass: 'forbidden' },
  UNKNOWN_COMMAND: { message: 'unknown command; you may run: %s', replyClass: 'notFound' },
  BAD_ARGUMENT: { message: '%s', replyClass: 'badRequest' },
  CODE_REUSED: {
    message: 'one-time code already used with a different command',
    replyClass: 'unauthorized',
  },
  CODES_UNAVAILABLE: {
    message: 'one-time codes are unavailable right now; use the password',
    replyClass: 'unavailable',
  },
  EMPTY_COMMAND: { message: 'empty command', replyClass: 'command' },
  BAD_PLT: { message: 'usage: .plt SKIP MAXLEN TIMEOUT .app params', replyClass: 'command' },
  UNKNOWN_APP: { message: 'unknown app; enabled: %s', replyClass: 'command' },
  APP_TIMEOUT: { message: 'timed out after %ss', replyClass: 'command' },
  APP_FAILED: { message: '%s', replyClass: 'command' },
  INTERNAL: { message: 'internal error (see the log)', replyClass: 'command' },
} as const satisfies Record<string, ErrorSpec>;

/** One of the codes in ERRORS. */
export type ErrorCode = keyof typeof ERRORS;

/** An error with a code from ERRORS; `message` is the text a user sees. */
export class PipelineError extends Error {
  readonly code: ErrorCode;
  readonly replyClass: ReplyClass;

  constructor(code: ErrorCode, ...args: (string | number)[]) {
    let text: string = ERRORS[code].message;
    for (const arg of args) text = text.replace('%s', String(arg));
    // A refusal is an answer, not a bug: capturing a stack trace for it cost ~4% of the CPU of
    // a refused request (bench/reject.mjs), and nothing reads it. The original thrown thing,
    // not this error, is what gets logged for INTERNAL.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(text);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'PipelineError';
    this.code = code;
    this.replyClass = ERRORS[code].replyClass;
  }
}

/**
 * Turns anything thrown into a PipelineError. An app's own Error keeps its message (apps throw
 * user-facing errors on purpose); anything else becomes INTERNAL so no stack trace reaches a user.
 */
export function toPipelineError(thrown: unknown): PipelineError {
  if (thrown instanceof PipelineError) return thrown;
  if (thrown instanceof AppError) return new PipelineError('APP_FAILED', thrown.message);
  return new PipelineError('INTERNAL');
}

/** Thrown by apps for a user-facing failure: its message is shown as the result's error. */
export class AppError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * The 4xx status a library's error carries (body-parser's `too many parameters` 413, zlib's bad
 * `Content-Encoding` 400, …), or undefined for anything else: what channels answer with, never
 * the error's own text.
 */
export function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status =
    (err as { status?: unknown; statusCode?: unknown }).status ??
    (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
