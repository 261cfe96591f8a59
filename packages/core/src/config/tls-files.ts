/**
 * The TLS certificate and key files of a channel (`http.tls`, `smtp.tls`): read, parsed and
 * matched the same way by `switchboard check`, by `run` before it starts, and by the channel
 * that serves them, so a file that check accepts is one the channel can use (DESIGN §10).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { ConfigKeyError } from './config-key-error.js';
import type { Config } from './types.js';

/** The paths of one `tls` block. */
export interface TlsPaths {
  readonly cert: string;
  readonly key: string;
}

/** The contents of one `tls` block's files, checked to work together. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED |)PRIVATE KEY-----/;

/** Reads the files of the `tls` block at `block` (`http.tls`); throws its first problem. */
export async function readTlsFiles(block: string, paths: TlsPaths): Promise<TlsFiles> {
  const { files, problems } = await inspect(block, paths);
  if (files !== undefined) return files;
  throw problems[0] ?? new ConfigKeyError(block, 'cannot be used');
}

/** Every problem with the TLS files of the enabled channels, as `key: reason` lines. */
export async function tlsProblems(config: Config): Promise<string[]> {
  const blocks: [string, TlsPaths | undefined][] = [
    ['http.tls', config.http?.enabled === true ? config.http.tls : undefined],
    ['smtp.tls', config.smtp?.enabled === true ? config.smtp.tls : undefined],
  ];
  const problems: string[] = [];
  for (const [block, paths] of blocks) {
    if (paths === undefined) continue;
    for (const problem of (await inspect(block, paths)).problems) problems.push(problem.message);
  }
  return problems;
}

/** Reads and checks both files; every problem found, and the files when there is none. */
async function inspect(
  block: string,
  paths: TlsPaths,
): Promise<{ files?: TlsFiles; problems: ConfigKeyError[] }> {
  const problems: ConfigKeyError[] = [];
  const read = async (which: 'cert' | 'key'): Promise<Buffer | undefined> => {
    try {
      return await readFile(paths[which]);
    } catch (err) {
      problems.push(ConfigKeyError.from(`${block}.${which}`, err, `cannot read ${paths[which]}`));
      return undefined;
    }
  };
  const [certPem, keyPem] = [await read('cert'), await read('key')];
  const cert = certPem === undefined ? undefined : parseCert(block, paths.cert, certPem, problems);
  const key = keyPem === undefined ? undefined : parseKey(block, paths.key, keyPem, problems);
  if (cert === undefined || key === undefined || certPem === undefined || keyPem === undefined) {
    return { problems };
  }
  // The first certificate of a chain file is the server's own: the key must be its key.
  if (!cert.checkPrivateKey(key)) {
    problems.push(new ConfigKeyError(`${block}.key`, `does not match ${block}.cert`));
    return { problems };
  }
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (err) {
    problems.push(
      new ConfigKeyError(`${block}.cert`, `cannot be used for TLS (${openSslReason(err)})`),
    );
    return { problems };
  }
  return { files: { cert: certPem, key: keyPem }, problems };
}

function parseCert(
  block: string,
  path: string,
  pem: Buffer,
  problems: ConfigKeyError[],
): X509Certificate | undefined {
  try {
    // X509Certificate takes DER too, but a TLS server needs PEM.
    if (PEM_CERT.test(pem.toString('latin1'))) return new X509Certificate(pem);
  } catch {
    // reported below
  }
  problems.push(new ConfigKeyError(`${block}.cert`, `${path} is not a PEM certificate`));
  return undefined;
}

function parseKey(
  block: string,
  path: string,
  pem: Buffer,
  problems: ConfigKeyError[],
): KeyObject | undefined {
  const text = pem.toString('latin1');
  try {
    if (PEM_KEY.test(text)) return createPrivateKey(pem);
  } catch {
    // reported below
  }
  problems.push(
    new ConfigKeyError(
      `${block}.key`,
      /ENCRYPTED/.test(text)
        ? `${path} is encrypted; the daemon needs the key without a passphrase`
        : `${path} is not a PEM private key`,
    ),
  );
  return undefined;
}

/** OpenSSL's reason without its code prefix (`error:0A00018F:SSL routines::ee key too small`). */
function openSslReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '');
}
