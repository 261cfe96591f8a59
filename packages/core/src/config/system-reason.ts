/**
 * Node's system errors (`EADDRINUSE`, `ENOENT`, ...) as the plain reasons a user reads after a
 * config key (`http.listen: address already in use`). Their own messages (`listen EADDRINUSE:
 * address already in use 127.0.0.1:8080`, `ENOENT: no such file or directory, open '…'`) are
 * written for programmers and repeat what the key already says.
 */

/** Reasons by error code; codes not listed are shown as `system error CODE`. */
const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'path too long',
  EIO: 'input/output error',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed, try again',
  EAI_FAIL: 'unknown host',
  EAFNOSUPPORT: 'address family not supported',
  EINVAL: 'invalid argument',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** The `code` of a Node.js system error (`'ENOENT'`), if `err` has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** A plain reason for `err`: its system error code in words, else its message. */
export function systemReason(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && /^E[A-Z0-9_]+$/.test(code)) {
    return REASONS[code] ?? `system error ${code}`;
  }
  return err instanceof Error ? err.message : String(err);
}
