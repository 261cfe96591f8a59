/**
 * otplib, required at its first use: codes are made only when someone sends a code pair or runs
 * `.2`, so an idle daemon does not carry otplib and its hash and base32 plugins (~1 MiB of heap,
 * DESIGN §9). Its CommonJS build, so that loading is synchronous, as the code functions are.
 */
import { createRequire } from 'node:module';
import type * as Otplib from 'otplib';

const require = createRequire(import.meta.url);

/** The otplib module (loaded once, then from Node's module cache). */
export function otplib(): typeof Otplib {
  return require('otplib') as typeof Otplib;
}
