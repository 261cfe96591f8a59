/**
 * One-time-code pairs (DESIGN §2 stage 4): for password P, code A = TOTP(UTF-8 bytes of P) and
 * code B = TOTP(UTF-8 bytes of P reversed by code point); the 12 digits A+B stand in for the
 * password. Steps -1, 0 and +1 are accepted for each half: 9 pairs per password.
 * The set is computed once per 30 s step, never per command (DESIGN §9).
 */
import { createHash } from 'node:crypto';
import type { CodeHalf } from '../guard/state-store.js';
import { otplib } from './otplib.js';
import { codeOfBytes, stepAt, TOTP_STEP_SEC } from './totp.js';

/** A valid pair: which password it stands for and until when it stays valid. */
export interface PairMatch {
  readonly passwordIndex: number;
  /**
   * Names the password without revealing it, the same on every channel and across reloads,
   * so the replay rule holds wherever the pair is used.
   */
  readonly passwordId: string;
  /** Its two halves, each claimed on its own by the replay rule. */
  readonly halves: readonly [CodeHalf, CodeHalf];
}

/** The current pair of each password, for enrolment and `switchboard totp`. */
export interface CurrentPair {
  readonly passwordIndex: number;
  readonly pair: string;
  /** Seconds left in the current step. */
  readonly secondsLeft: number;
}

const encoder = new TextEncoder();

/** Steps accepted around the current one, for each half. */
const STEP_OFFSETS = [-1, 0, 1] as const;

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
    // A half made at step s is accepted until the end of step s+1.
    const expiry = (offset: number): number => (step + offset + 2) * TOTP_STEP_SEC * 1000;
    this.#secrets.forEach((secret, passwordIndex) => {
      const passwordId = this.#ids[passwordIndex] ?? '';
      const half = (
        name: 'A' | 'B',
        bytes: Uint8Array,
        offset: number,
      ): CodeHalf & { code: string } => {
        const code = codeOfBytes(bytes, step + offset);
        return { code, key: `${passwordId}:${name}:${code}`, expiresAt: expiry(offset) };
      };
      const as = STEP_OFFSETS.map((o) => half('A', secret.a, o));
      const bs = STEP_OFFSETS.map((o) => half('B', secret.b, o));
      for (const a of as) {
        for (const b of bs) {
          if (valid.has(a.code + b.code)) continue;
          valid.set(a.code + b.code, {
            passwordIndex,
            passwordId,
            halves: [
              { key: a.key, expiresAt: a.expiresAt },
              { key: b.key, expiresAt: b.expiresAt },
            ],
          });
        }
      }
    });
    this.#step = step;
    this.#valid = valid;
    return valid;
  }
}

/** otpauth:// URIs for authenticator apps: code A and code B of one password. */
export function pairEnrolmentUris(password: string, label: string): { a: string; b: string } {
  const { generateURI, ScureBase32Plugin } = otplib();
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
