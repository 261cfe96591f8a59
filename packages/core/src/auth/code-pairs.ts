/**
 * One-time-code pairs (DESIGN §2 stage 4): for password P, code A = TOTP(UTF-8 bytes of P) and
 * code B = TOTP(UTF-8 bytes of P reversed by code point); the 12 digits A+B stand in for the
 * password. Steps -1, 0 and +1 are accepted for each half: 9 pairs per password.
 * The set is computed once per 30 s step, never per command (DESIGN §9).
 */
import { createHash } from 'node:crypto';
import { generateURI, ScureBase32Plugin } from 'otplib';
import { codeOfBytes, stepAt, TOTP_STEP_SEC } from './totp.js';

/** A valid pair: which password it stands for and until when it stays valid. */
export interface PairMatch {
  readonly passwordIndex: number;
  /**
   * Names the password without revealing it, the same on every channel and across reloads,
   * so the replay rule holds wherever the pair is used.
   */
  readonly passwordId: string;
  /** Epoch ms after which no half of this pair is accepted any more. */
  readonly expiresAt: number;
}

/** The current pair of each password, for enrolment and `switchboard totp`. */
export interface CurrentPair {
  readonly passwordIndex: number;
  readonly pair: string;
  /** Seconds left in the current step. */
  readonly secondsLeft: number;
}

const encoder = new TextEncoder();

/** The byte secrets of a password: the password and its reverse by code point. */
export function pairSecrets(password: string): { a: Uint8Array; b: Uint8Array } {
  return {
    a: encoder.encode(password),
    b: encoder.encode(Array.from(password).reverse().join('')),
  };
}

/** Recognises the valid code pairs of a password list, cached per step. */
export class CodePairs {
  readonly #secrets: readonly { a: Uint8Array; b: Uint8Array }[];
  readonly #ids: readonly string[];
  readonly #now: () => number;
  #step = Number.NaN;
  #valid = new Map<string, PairMatch>();

  constructor(passwords: readonly string[], now: () => number = Date.now) {
    this.#secrets = passwords.map(pairSecrets);
    this.#ids = passwords.map((p) => createHash('sha256').update(p).digest('hex').slice(0, 16));
    this.#now = now;
  }

  /** The match when `digits` (12 digits) is a valid pair right now. */
  match(digits: string): PairMatch | undefined {
    return this.#table().get(digits);
  }

  /** Each password's pair for the current step. */
  current(): CurrentPair[] {
    const now = this.#now();
    const step = stepAt(now);
    const secondsLeft = Math.ceil(((step + 1) * TOTP_STEP_SEC * 1000 - now) / 1000);
    return this.#secrets.map((s, passwordIndex) => ({
      passwordIndex,
      pair: codeOfBytes(s.a, step) + codeOfBytes(s.b, step),
      secondsLeft,
    }));
  }

  #table(): Map<string, PairMatch> {
    const step = stepAt(this.#now());
    if (step === this.#step) return this.#valid;
    const valid = new Map<string, PairMatch>();
    this.#secrets.forEach((secret, passwordIndex) => {
      const offsets = [-1, 0, 1];
      const as = offsets.map((o) => codeOfBytes(secret.a, step + o));
      const bs = offsets.map((o) => codeOfBytes(secret.b, step + o));
      as.forEach((a, i) => {
        bs.forEach((b, j) => {
          // A half made at step s is accepted until the end of step s+1; the pair lives as long
          // as its older half.
          const expiresAt =
            (step + Math.min(offsets[i] ?? 0, offsets[j] ?? 0) + 2) * TOTP_STEP_SEC * 1000;
          const passwordId = this.#ids[passwordIndex] ?? '';
          if (!valid.has(a + b)) valid.set(a + b, { passwordIndex, passwordId, expiresAt });
        });
      });
    });
    this.#step = step;
    this.#valid = valid;
    return valid;
  }
}

/** otpauth:// URIs for authenticator apps: code A and code B of one password. */
export function pairEnrolmentUris(password: string, label: string): { a: string; b: string } {
  const base32 = new ScureBase32Plugin();
  const { a, b } = pairSecrets(password);
  const uri = (secret: Uint8Array, half: string): string =>
    generateURI({
      issuer: 'Switchboard',
      label: `${label} ${half}`,
      secret: base32.encode(secret),
    });
  return { a: uri(a, 'A'), b: uri(b, 'B') };
}
