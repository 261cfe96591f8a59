/**
 * The console's sessions, in memory: a random id in an HttpOnly cookie, a CSRF token the page
 * sends back in a header on every change, and an end (SESSION_SEC after login). The table keeps
 * the SHA-256 of each id, so a lookup compares no secret, and holds at most MAX_SESSIONS: a new
 * login past that ends the oldest session.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Credential } from './credential.js';

/** How long a session lasts after its login. */
export const SESSION_SEC = 8 * 3600;
/** Sessions kept at once. */
const MAX_SESSIONS = 64;

/** One logged-in console. */
export interface Session {
  readonly credential: Credential;
  readonly csrf: string;
  readonly expiresAt: number;
}

/** The sessions of one HTTP channel. */
export class SessionTable {
  readonly #byDigest = new Map<string, Session>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Opens a session; returns its id (for the cookie) and the session. */
  open(credential: Credential): { id: string; session: Session } {
    for (const [digest, s] of this.#byDigest)
      if (s.expiresAt <= this.#now()) this.#byDigest.delete(digest);
    while (this.#byDigest.size >= MAX_SESSIONS) {
      const oldest = this.#byDigest.keys().next().value;
      if (oldest === undefined) break;
      this.#byDigest.delete(oldest);
    }
    const id = token();
    const session = { credential, csrf: token(), expiresAt: this.#now() + SESSION_SEC * 1000 };
    this.#byDigest.set(digestOf(id), session);
    return { id, session };
  }

  /** The live session of `id`, if any; an expired one is removed. */
  find(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const digest = digestOf(id);
    const session = this.#byDigest.get(digest);
    if (session === undefined || session.expiresAt > this.#now()) return session;
    this.#byDigest.delete(digest);
    return undefined;
  }

  /** Ends the session of `id`. */
  close(id: string | undefined): void {
    if (id !== undefined) this.#byDigest.delete(digestOf(id));
  }
}

/** Whether `presented` is the session's CSRF token (constant time). */
export function csrfMatches(session: Session, presented: string | undefined): boolean {
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(presented ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

function digestOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
