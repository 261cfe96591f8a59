/**
 * `switchboard dtmf [--encode] TEXT`: the telephone-keypad codec of the twilio channel, so a
 * user can check what some digits type, or prepare the keys for a command before calling.
 */
import {
  DtmfEncodeError,
  PHONETIC_PREFIX,
  decodeDtmfVerbose,
  encodeDtmf,
  type DtmfStep,
} from '@switchboard/twilio';
import { EXIT, UsageError, type Io } from '../io.js';

/** Help text of `dtmf`. */
export const DTMF_HELP = `Usage: switchboard dtmf [--encode] TEXT

Decodes telephone-keypad digits into the text they type on a call to the twilio channel, or
with --encode prints the keys to press for a text: one line per character, then the digits
alone on the last line. On the call, type the digits after the greeting and finish with #;
start with ${PHONETIC_PREFIX} to hear the answer spelled (alpha, beta, ...).

Keypad: letters by repeated presses (2 a, 22 b, 222 c ... 9999 z); 0 ends a letter, or types a
space when nothing is open; * switches capitals on and off; 1 = 0, 11 = 1 ... 19 = 9 and the
symbols 111 ! 112 @ ... 145 ? each end with 0 (docs/twilio.md has the whole table).

Exit status: 0 ok, 1 some digits are not in the table (they are dropped, as on a call),
2 usage error (no text, or a character the keypad cannot type).

Examples:
  switchboard dtmf 4433555055566600
  switchboard dtmf --encode "mypassword .e info"`;

/** Runs `dtmf`; resolves to the exit status. */
export function dtmf(
  options: { encode: boolean; text: string | undefined },
  io: Io,
): Promise<number> {
  // The work is synchronous; a Promise keeps the verb's shape (and turns throws into rejections).
  return new Promise((resolve) => {
    resolve(options.encode ? encode(options.text, io) : decode(options.text, io));
  });
}

function decode(digits: string | undefined, io: Io): number {
  if (digits === undefined || digits.trim() === '') {
    throw new UsageError('no digits given: switchboard dtmf DIGITS (or --encode TEXT)');
  }
  const trimmed = digits.trim();
  const phonetic = trimmed.startsWith(PHONETIC_PREFIX);
  const { text, dropped } = decodeDtmfVerbose(
    phonetic ? trimmed.slice(PHONETIC_PREFIX.length) : trimmed,
  );
  io.stdout.write(`${text}\n`);
  if (phonetic) {
    io.stderr.write(`(${PHONETIC_PREFIX} first: the answer will be spelled phonetically)\n`);
  }
  if (dropped.length === 0) return EXIT.ok;
  io.stderr.write(
    `dropped, not in the keypad table: ${dropped.join(' ')}` +
      ' (digits and symbols must end with 0; a key pressed too often types nothing)\n',
  );
  return EXIT.failed;
}

function encode(text: string | undefined, io: Io): number {
  if (text === undefined || text === '') {
    throw new UsageError('no text given: switchboard dtmf --encode TEXT');
  }
  let encoding;
  try {
    encoding = encodeDtmf(text);
  } catch (error) {
    if (error instanceof DtmfEncodeError) throw new UsageError(error.message);
    throw error;
  }
  const width = Math.max(...encoding.steps.map((s) => s.keys.length));
  for (const step of encoding.steps) io.stdout.write(`${stepLine(step, width)}\n`);
  io.stdout.write(`${encoding.keys}\n`);
  if (encoding.keys.startsWith(PHONETIC_PREFIX)) {
    // Only a text starting with a space and a symbol does this; on a call it would be misread.
    io.stderr.write(
      `warning: the keys start with ${PHONETIC_PREFIX}, which a call reads as "spell the answer"; ` +
        'remove the leading space\n',
    );
  }
  return EXIT.ok;
}

/** One line of --encode: the character, its keys, and why any extra key is pressed. */
function stepLine(step: DtmfStep, width: number): string {
  const label = CHAR_NAMES.get(step.char) ?? step.char;
  const line = `${label.padEnd(7)} ${step.keys.padEnd(width)}`;
  return step.note === '' ? line.trimEnd() : `${line}  (${step.note})`;
}

/** Characters that are invisible or ambiguous on a line of their own. */
const CHAR_NAMES: ReadonlyMap<string, string> = new Map([
  [' ', 'space'],
  ['\x1f', '\\x1f'],
  ['\x1e', '\\x1e'],
]);
