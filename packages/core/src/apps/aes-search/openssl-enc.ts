/**
 * Files made by `openssl enc -aes256` (reference §7.4): the 8 bytes `Salted__`, an 8-byte salt,
 * then AES-256-CBC with PKCS#7 padding. The key and IV come from a passphrase and the salt
 * (`-pbkdf2`: PBKDF2-HMAC; without it, the legacy EVP_BytesToKey), or, as laitos reads them,
 * from hex values that `openssl enc -d -P` prints: the IV and the start of the key in the
 * config, the rest of the key in the command.
 */
import { createDecipheriv, createHash, pbkdf2, type Decipher } from 'node:crypto';
import { promisify } from 'node:util';

/** The hash of `-md` (openssl's default since 1.1.0: sha256). */
export type Digest = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';
export const DIGESTS: readonly Digest[] = ['sha256', 'sha384', 'sha512', 'sha1', 'md5'];

/** openssl's own defaults for `-md` and `-iter`. */
export const OPENSSL_DEFAULTS = { digest: 'sha256', iterations: 10_000 } as const;

/** How the key of one file is found: one entry of `apps.aesSearch.files`. */
export type EncryptedFile = { readonly path: string } & (
  | {
      /** `openssl enc -aes256 -pbkdf2 [-md D] [-iter N]`: KEY is the passphrase. */
      readonly kdf: 'pbkdf2';
      readonly digest?: Digest;
      readonly iterations?: number;
    }
  | {
      /** `openssl enc -aes256 [-md D]` (no -pbkdf2): KEY is the passphrase. */
      readonly kdf: 'bytes-to-key';
      readonly digest?: Digest;
    }
  | {
      /** laitos' way: KEY is the hex rest of the key after `keyPrefix`. */
      readonly kdf: 'none';
      readonly iv: string;
      readonly keyPrefix: string;
    }
);

/** Bytes before the ciphertext: `Salted__` and the salt. */
export const HEADER_BYTES = 16;
const MAGIC = Buffer.from('Salted__', 'latin1');
const BLOCK = 16;
const PASSPHRASE_CIPHER = { algorithm: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 } as const;

/** Thrown for a KEY that cannot be a key (its message never holds it). */
export class KeyFormatError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'KeyFormatError';
  }
}

/** What is wrong with a file whose first bytes are `head` and whose size is `size`, if anything. */
export function headerProblem(head: Buffer, size: number): string | undefined {
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) {
    return 'was not made by openssl enc (no Salted__ header)';
  }
  if (size < HEADER_BYTES + BLOCK || (size - HEADER_BYTES) % BLOCK !== 0) {
    return 'was not made by openssl enc (its length is wrong)';
  }
  return undefined;
}

/**
 * A decipher for `file` (its padding checked at `final()`), given the salt from its header and
 * the command's KEY. Throws KeyFormatError for a malformed hex KEY.
 */
export async function decipherFor(
  file: EncryptedFile,
  salt: Buffer,
  keyText: string,
): Promise<Decipher> {
  const { key, iv } = await keyAndIv(file, salt, keyText);
  try {
    return createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  } finally {
    // The decipher has its own copy; this one need not wait for the garbage collector.
    key.fill(0);
  }
}

async function keyAndIv(
  file: EncryptedFile,
  salt: Buffer,
  keyText: string,
): Promise<{ key: Buffer; iv: Buffer }> {
  const { keyBytes, ivBytes } = PASSPHRASE_CIPHER;
  const pass = Buffer.from(keyText, 'utf8');
  switch (file.kdf) {
    case 'pbkdf2': {
      const digest = file.digest ?? OPENSSL_DEFAULTS.digest;
      const iterations = file.iterations ?? OPENSSL_DEFAULTS.iterations;
      // openssl derives the key and the IV in one go.
      const both = await promisify(pbkdf2)(pass, salt, iterations, keyBytes + ivBytes, digest);
      return { key: both.subarray(0, keyBytes), iv: both.subarray(keyBytes) };
    }
    case 'bytes-to-key': {
      const both = bytesToKey(
        pass,
        salt,
        file.digest ?? OPENSSL_DEFAULTS.digest,
        keyBytes + ivBytes,
      );
      return { key: both.subarray(0, keyBytes), iv: both.subarray(keyBytes) };
    }
    case 'none': {
      if (!/^(?:[0-9a-f]{2})+$/i.test(keyText)) throw new KeyFormatError('KEY must be hex digits');
      const key = Buffer.from(file.keyPrefix + keyText, 'hex');
      if (![16, 24, 32].includes(key.length)) {
        throw new KeyFormatError('keyPrefix and KEY must make 16, 24 or 32 bytes');
      }
      return { key, iv: Buffer.from(file.iv, 'hex') };
    }
  }
}

/** OpenSSL's EVP_BytesToKey with one round: D_i = H(D_{i-1} ‖ pass ‖ salt), until `bytes`. */
function bytesToKey(pass: Buffer, salt: Buffer, digest: Digest, bytes: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let have = 0; have < bytes; have += previous.length) {
    previous = createHash(digest).update(previous).update(pass).update(salt).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, bytes);
}
