/** The HTTP status for each reply class of a pipeline error (DESIGN §4 httpd, docs/errors.md). */
import type { ReplyClass } from '@switchboard/core';

/** Status per reply class; a successful command is 200. */
export const STATUS_OF: Readonly<Record<ReplyClass, number>> = {
  badRequest: 400,
  unauthorized: 401,
  banned: 403,
  forbidden: 403,
  notFound: 404,
  tooLarge: 413,
  rateLimited: 429,
  unavailable: 503,
  command: 200,
};
