/**
 * RFC 6238 TOTP codes (HMAC-SHA1, 6 digits, 30 s steps) through otplib (loaded at the first code).
 */
import { otplib } from './otplib.js';

/** Seconds per TOTP step. */
export const TOTP_STEP_SEC = 30;

/**
 * otplib 13 refuses secrets under 16 bytes. A code pair's secret is the password itself, which
 * may be as short as the minimum password length (7), so the floor is lowered to that, for the
 * code pair only; the `.2` app's base32 secrets keep otplib's defaults.
 */
const PASSWORD_SECRET_MIN_BYTES = 7;

/** The 6-digit code of `secret` (raw bytes) at TOTP step `step`. */
export function codeOfBytes(secret: Uint8Array, step: number): string {
  const { createGuardrails, generateSync } = otplib();
  return generateSync({
    secret,
    epoch: step * TOTP_STEP_SEC,
    guardrails: createGuardrails({ MIN_SECRET_BYTES: PASSWORD_SECRET_MIN_BYTES }),
  });
}

/**
 * Services hand out 80-bit (16 base32 characters) secrets as often as 128-bit ones; `.2` must
 * produce their codes, so its floor is RFC 4226's minimum of 80 bits instead of otplib's 128.
 */
const ACCOUNT_SECRET_MIN_BYTES = 10;

/** The 6-digit code of a base32 `secret` (as authenticator apps store it) at `step`. */
export function codeOfBase32(secret: string, step: number): string {
  const { createGuardrails, generateSync } = otplib();
  return generateSync({
    secret: secret.replace(/\s+/g, '').toUpperCase(),
    epoch: step * TOTP_STEP_SEC,
    guardrails: createGuardrails({ MIN_SECRET_BYTES: ACCOUNT_SECRET_MIN_BYTES }),
  });
}

/** The TOTP step that contains `epochMs`. */
export function stepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_STEP_SEC);
}
