/**
 * `switchboard totp [-c FILE]`: the current one-time-code pair of every password, and what an
 * authenticator app needs to produce them (otpauth URIs and terminal QR codes).
 */
import {
  CHANNELS,
  CodePairs,
  effectiveFilters,
  pairEnrolmentUris,
  passwordOf,
} from '@switchboard/core';
import { EXIT, type Io } from '../io.js';
import { loadConfigOrFail } from '../load-config.js';

/** Help text of `totp`. */
export const TOTP_HELP = `Usage: switchboard totp [-c FILE] [--no-qr]

For every password in the config (top level and per channel), prints the one-time-code pair
that stands in for it right now, and enrols it in an authenticator app: two entries per
password, "A" and "B", as otpauth:// URIs and terminal QR codes (--no-qr to leave those out).
Type the 6 digits of A, then the 6 digits of B, then the command: 123456654321.s uptime
Each pair runs one command text (it may be repeated while the pair is valid).

The QR codes hold the password itself (it is the code's secret): show them to nobody.`;

/** Runs `totp`; resolves to the exit status. */
export async function totp(
  options: { file: string | undefined; qr: boolean },
  io: Io,
): Promise<number> {
  const { config } = await loadConfigOrFail(options.file, io);
  const passwords = [
    ...new Set(
      CHANNELS.flatMap((c) =>
        effectiveFilters(config, c).pinAndShortcuts.passwords.map(passwordOf),
      ),
    ),
  ];
  if (passwords.length === 0) {
    io.stdout.write('no passwords configured (filters.pinAndShortcuts.passwords)\n');
    return EXIT.failed;
  }
  const current = new CodePairs(passwords).current();
  for (const [i, password] of passwords.entries()) {
    const label = `password ${i + 1}`;
    const pair = current[i];
    if (pair === undefined) continue;
    io.stdout.write(
      `${label} (${mask(password)}): code pair now ${pair.pair.slice(0, 6)} ${pair.pair.slice(6)}` +
        ` (valid about ${pair.secondsLeft + 30} s more)\n`,
    );
    const uris = pairEnrolmentUris(password, label);
    for (const [half, uri] of [
      ['A', uris.a],
      ['B', uris.b],
    ] as const) {
      io.stdout.write(`  code ${half}: ${uri}\n`);
      if (options.qr) {
        // Loaded here, not at the top: every verb shares cli.js, and the daemon draws no QR code.
        const { default: QRCode } = await import('qrcode');
        // On a terminal, colours make the code readable on any background; into a pipe or a
        // file, plain block characters (escape codes would be noise there).
        io.stdout.write(
          io.isTty
            ? await QRCode.toString(uri, { type: 'terminal', small: true })
            : await QRCode.toString(uri, { type: 'utf8' }),
        );
      }
    }
  }
  return EXIT.ok;
}

/** Only the length: enough to tell passwords apart, nothing to shoulder-surf. */
function mask(password: string): string {
  return `${Array.from(password).length} characters`;
}
