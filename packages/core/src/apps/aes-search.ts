/**
 * `.a` AES-encrypted text search (DESIGN §15, reference §8.4): `.a SHORTCUT KEY TEXT` gives the
 * lines of a file made by `openssl enc -aes256` that contain TEXT, ignoring case. KEY is the
 * passphrase, or (laitos' way) the hex rest of the key. Unlike laitos, the padding is checked
 * and removed and the plaintext must be text, so a wrong key is one error, never garbage. The
 * file is decrypted as it streams: no more of the plaintext than one line and the matches is
 * ever held, and only for the command.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Decipher } from 'node:crypto';
import { AppError } from '../errors.js';
import { defineApp, type App } from './app.js';
import { tableSettings } from './table-settings.js';
import {
  decipherFor,
  DIGESTS,
  HEADER_BYTES,
  headerProblem,
  KeyFormatError,
  OPENSSL_DEFAULTS,
  type EncryptedFile,
} from './aes-search/openssl-enc.js';
import { checkFiles, unreadable } from './text-search/file-problem.js';
import { NotTextError, searchLines } from './text-search/line-search.js';
import {
  entryOf,
  formatMatches,
  readFailure,
  SEARCH_LIMITS,
  SHORTCUT_NAMES,
  splitCommand,
} from './text-search/search-command.js';

const USAGE = 'usage: .a SHORTCUT KEY TEXT';

/** `apps.aesSearch`. */
export interface AesSearchSettings {
  /** Shortcut → an encrypted file and how its key is found. */
  readonly files: Readonly<Record<string, EncryptedFile>>;
}

const hex = (digits: string, what: string) => ({
  type: 'string',
  pattern: `^(?:[0-9A-Fa-f]{2})${digits}$`,
  expect: what,
});

const kdfIs = (kdf: EncryptedFile['kdf']) => ({
  properties: { kdf: { const: kdf } },
  required: ['kdf'],
});
/** A key that must not be there: the loader says `must be left out WHEN`. */
const leftOut = (when: string) => ({ not: {}, expect: `left out ${when}` });

/** The `.a` app; sensitive, so its input (the key) never reaches a log line. */
export const aesSearchApp: App<AesSearchSettings, 'aesSearch'> = defineApp({
  trigger: '.a',
  name: 'AES-encrypted text search',
  sensitive: true,
  docs: { enabled: 'when `apps.aesSearch.files` has one' },
  settings: tableSettings({
    key: 'aesSearch',
    table: 'files',
    description: 'Shortcut → a file made by `openssl enc -aes256` and how its key is found.',
    names: SHORTCUT_NAMES,
    entry: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'kdf'],
      properties: {
        path: {
          type: 'string',
          minLength: 1,
          description: 'The encrypted file; a relative path is from the config file’s folder.',
        },
        kdf: {
          enum: ['pbkdf2', 'bytes-to-key', 'none'],
          description:
            'How the key is found: "pbkdf2" (openssl enc -pbkdf2, KEY is the passphrase), "bytes-to-key" (openssl enc without -pbkdf2, KEY is the passphrase), "none" (KEY is the hex rest of the key after keyPrefix, as in laitos).',
        },
        digest: {
          enum: DIGESTS,
          default: OPENSSL_DEFAULTS.digest,
          description: 'openssl enc -md (pbkdf2 and bytes-to-key).',
        },
        iterations: {
          type: 'integer',
          minimum: 1,
          maximum: 10_000_000,
          default: OPENSSL_DEFAULTS.iterations,
          description: 'openssl enc -iter (pbkdf2).',
        },
        iv: {
          ...hex('{16}', '32 hex digits (the iv that openssl enc -P prints)'),
          description: 'The "iv =" that openssl enc -d -P prints (kdf "none").',
        },
        keyPrefix: {
          ...hex(
            '{0,31}',
            'hex digits, at most 62 (the start of the key that openssl enc -P prints)',
          ),
          description:
            'The start of the "key=" that openssl enc -d -P prints; the command gives the rest (kdf "none").',
        },
      },
      // Which keys each kdf takes: required, or refused so a misplaced one is not ignored.
      allOf: [
        {
          if: kdfIs('none'),
          then: {
            properties: {
              iv: true,
              keyPrefix: true,
              digest: leftOut('with kdf "none"'),
              iterations: leftOut('with kdf "none"'),
            },
            required: ['iv', 'keyPrefix'],
          },
          else: {
            properties: {
              iv: leftOut('unless kdf is "none"'),
              keyPrefix: leftOut('unless kdf is "none"'),
            },
          },
        },
        {
          if: kdfIs('bytes-to-key'),
          then: { properties: { iterations: leftOut('with kdf "bytes-to-key"') } },
        },
      ],
    },
    resolveEntry: (file: EncryptedFile, resolve) => ({ ...file, path: resolve(file.path) }),
  }),
  isConfigured: (config) => Object.keys(config.apps.aesSearch.files).length > 0,
  selfTest: (config) =>
    checkFiles('aesSearch', config.apps.aesSearch.files, async (file) => {
      const problem = await unreadable(file.path);
      if (problem !== undefined) return problem;
      const opened = await openEncrypted(file.path);
      await opened.handle.close();
      return opened.problem;
    }),
  async execute(input, ctx) {
    const command = splitCommand(input, 2);
    if (command === undefined) throw new AppError(USAGE);
    const [shortcut = '', keyText = ''] = command.words;
    const file = entryOf(ctx.config.apps.aesSearch.files, shortcut);
    const { signal } = ctx;
    let opened: OpenedFile | undefined;
    try {
      opened = await openEncrypted(file.path);
      if (opened.problem !== undefined) throw new AppError(`"${shortcut}" ${opened.problem}`);
      const decipher = await decipherFor(file, opened.salt, keyText);
      // No `signal` here: a FileHandle stream given an aborted one throws it uncaught as well
      // (Node 20); plaintext() checks it between chunks instead.
      const ciphertext = opened.handle.createReadStream({ start: HEADER_BYTES, autoClose: false });
      const found = await searchLines(plaintext(ciphertext, decipher, signal), command.text, {
        ...SEARCH_LIMITS,
        text: true,
      });
      return formatMatches(found);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof KeyFormatError) {
        throw new AppError(`wrong key for "${shortcut}" (${err.message})`);
      }
      if (err instanceof WrongKeyError) throw new AppError(`wrong key for "${shortcut}"`);
      if (err instanceof NotTextError) {
        throw new AppError(`wrong key for "${shortcut}", or it is not UTF-8 text`);
      }
      throw readFailure(shortcut, err, signal);
    } finally {
      await opened?.handle.close();
    }
  },
});

/** The decipher's final check failed: the padding is not PKCS#7, so the key is wrong. */
class WrongKeyError extends Error {
  constructor() {
    super('');
    this.name = 'WrongKeyError';
  }
}

/**
 * The plaintext of `ciphertext`, chunk by chunk, until `signal`; WrongKeyError at the end for a
 * wrong key.
 */
async function* plaintext(
  ciphertext: AsyncIterable<Buffer>,
  decipher: Decipher,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  for await (const chunk of ciphertext) {
    signal.throwIfAborted();
    yield decipher.update(chunk);
  }
  let last: Buffer;
  try {
    last = decipher.final();
  } catch {
    throw new WrongKeyError();
  }
  yield last;
}

/** An encrypted file, open: its salt, and why it was not made by openssl enc, if it was not. */
interface OpenedFile {
  readonly handle: FileHandle;
  readonly salt: Buffer;
  readonly problem: string | undefined;
}

async function openEncrypted(path: string): Promise<OpenedFile> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    await handle.read(head, 0, HEADER_BYTES, 0);
    const problem = headerProblem(head, (await handle.stat()).size);
    return { handle, salt: head.subarray(8), problem };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
