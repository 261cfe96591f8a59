/**
 * The `posix_spawn` backend (DESIGN §11): glibc's posix_spawn through koffi. glibc starts the
 * child with clone(CLONE_VM|CLONE_VFORK), so no page table is copied and a spawn costs the same
 * with 0 or 512 MiB of heap; that is also why no helper process is needed.
 *
 *   pipe2(O_CLOEXEC) → file actions: stdin /dev/null, stdout and stderr onto the pipe's write end
 *   → attributes: own process group, signal mask empty, every signal back to its default (Node
 *   ignores SIGPIPE, which a child would otherwise inherit) → posix_spawn(argv, explicit envp)
 *
 * The call itself runs on a worker thread (it returns once the child has exec'd), the read end is
 * a libuv pipe handle (net.Socket), so output is read by the event loop, never a pool thread. The child is reaped with waitpid(WNOHANG): at once when its output ends (the usual
 * moment it exits), and every REAP_POLL_MS meanwhile, so nothing blocks a thread while it runs.
 */
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import {
  signalNamed,
  SpawnError,
  type Exit,
  type SpawnBackend,
  type Spawned,
  type SpawnRequest,
} from './spawn-backend.js';

// glibc's opaque types are 80 (file actions), 336 (attributes) and 128 (sigset_t) bytes on
// x86_64 and arm64; these buffers leave room on every architecture.
const OPAQUE_BYTES = 1024;
const SIGSET_BYTES = 256;

const O_RDONLY = 0;
const O_CLOEXEC = 0o2000000;
const WNOHANG = 1;
const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;

/**
 * koffi memory pools kept for async calls: spawns in flight at once, beyond which each call
 * allocates and frees a fresh one on the event loop (at 16 at once, 2.5x the time in the call).
 * 32 is koffi's maximum: a larger value is refused, and the default of 8 stays.
 */
const RESIDENT_ASYNC_POOLS = 32;

/** The longest a finished child waits to be reaped while its output pipe is still open. */
const REAP_POLL_MS = 100;

/** The errno names by number. */
const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, n]) => [n, name]),
);

type Fn = (...args: unknown[]) => unknown;

/** A koffi function, which also has a form that runs on koffi's worker threads. */
type AsyncFn = Fn & { async: (...argsAndCallback: unknown[]) => void };

/** The libc functions the backend calls. */
interface Libc {
  readonly pipe2: Fn;
  readonly close: Fn;
  readonly faInit: Fn;
  readonly faOpen: Fn;
  readonly faDup2: Fn;
  readonly faDestroy: Fn;
  readonly attrInit: Fn;
  readonly attrFlags: Fn;
  readonly attrPgroup: Fn;
  readonly attrSigdefault: Fn;
  readonly attrSigmask: Fn;
  readonly attrDestroy: Fn;
  readonly sigfillset: Fn;
  readonly sigemptyset: Fn;
  readonly posixSpawn: AsyncFn;
  readonly waitpid: Fn;
  readonly errno: () => number;
}

/** koffi's surface as this module uses it. */
interface Koffi {
  load(path: string): { func(signature: string): AsyncFn };
  errno(): number;
  config(settings?: Record<string, number>): Record<string, number>;
}

/**
 * The backend, or why it is not available here (not Linux, not glibc, koffi not loadable).
 * Loaded synchronously: once, when the daemon builds its services.
 */
export function loadPosixSpawn(): { backend: PosixSpawnBackend } | { why: string } {
  if (process.platform !== 'linux') return { why: `not Linux (${process.platform})` };
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } })
    .header;
  if (header?.glibcVersionRuntime === undefined) return { why: 'the C library is not glibc' };
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (err) {
    return { why: `koffi cannot be loaded (${err instanceof Error ? err.message : String(err)})` };
  }
  // An async call beyond the resident memory pools allocates and frees fresh ones (256 KiB):
  // keep enough for the commands that run at once. (koffi's settings are process-wide and fixed
  // by its first call; a second loader in this process finds them already set.)
  try {
    koffi.config({ ...koffi.config(), resident_async_pools: RESIDENT_ASYNC_POOLS });
  } catch {
    // already in use: its settings stay
  }
  const lib = koffi.load('libc.so.6');
  const f = (signature: string): AsyncFn => lib.func(signature);
  return {
    backend: new PosixSpawnBackend({
      pipe2: f('int pipe2(_Out_ int *fds, int flags)'),
      close: f('int close(int fd)'),
      faInit: f('int posix_spawn_file_actions_init(void *fa)'),
      faOpen: f(
        'int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, uint32_t mode)',
      ),
      faDup2: f('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
      faDestroy: f('int posix_spawn_file_actions_destroy(void *fa)'),
      attrInit: f('int posix_spawnattr_init(void *attr)'),
      attrFlags: f('int posix_spawnattr_setflags(void *attr, short flags)'),
      attrPgroup: f('int posix_spawnattr_setpgroup(void *attr, int pgroup)'),
      attrSigdefault: f('int posix_spawnattr_setsigdefault(void *attr, void *set)'),
      attrSigmask: f('int posix_spawnattr_setsigmask(void *attr, void *set)'),
      attrDestroy: f('int posix_spawnattr_destroy(void *attr)'),
      sigfillset: f('int sigfillset(void *set)'),
      sigemptyset: f('int sigemptyset(void *set)'),
      posixSpawn: f(
        'int posix_spawn(int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)',
      ),
      waitpid: f('int waitpid(int pid, _Out_ int *status, int options)'),
      errno: () => koffi.errno(),
    }),
  };
}

/** Starts programs with glibc's posix_spawn. */
export class PosixSpawnBackend implements SpawnBackend {
  readonly name = 'posix_spawn' as const;
  readonly #libc: Libc;
  /** The spawn attributes never change: built once. */
  readonly #attr = Buffer.alloc(OPAQUE_BYTES);

  constructor(libc: Libc) {
    this.#libc = libc;
    const all = Buffer.alloc(SIGSET_BYTES);
    const none = Buffer.alloc(SIGSET_BYTES);
    libc.sigfillset(all);
    libc.sigemptyset(none);
    libc.attrInit(this.#attr);
    libc.attrSigdefault(this.#attr, all);
    libc.attrSigmask(this.#attr, none);
    libc.attrPgroup(this.#attr, 0);
    libc.attrFlags(
      this.#attr,
      POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK,
    );
  }

  async start(request: SpawnRequest): Promise<Spawned> {
    const libc = this.#libc;
    const fds = [-1, -1];
    if (libc.pipe2(fds, O_CLOEXEC) !== 0) {
      throw new SpawnError(request.file, errnoName(libc.errno()));
    }
    const [readFd = -1, writeFd = -1] = fds;
    const actions = Buffer.alloc(OPAQUE_BYTES);
    libc.faInit(actions);
    libc.faOpen(actions, 0, '/dev/null', O_RDONLY, 0);
    libc.faDup2(actions, writeFd, 1);
    libc.faDup2(actions, writeFd, 2);
    // Memory koffi writes into as it is: an `_Out_` array costs ~5× more to issue asynchronously.
    const pid = new Int32Array(1);
    const env = Object.entries(request.env).map(([k, v]) => `${k}=${v}`);
    // posix_spawn returns the error itself (glibc reports a failed exec this way too). It waits
    // until the child has exec'd (vfork semantics): as koffi's async call, on a worker thread that
    // it holds only that long, so the event loop serves meanwhile (1.5× the requests/s).
    // Every fd here is O_CLOEXEC, so spawns on other threads meanwhile inherit none of them.
    const args = [
      pid,
      request.file,
      actions,
      this.#attr,
      [request.file, ...request.args, null],
      [...env, null],
    ];
    const rc = await new Promise<number>((resolve, reject) => {
      try {
        libc.posixSpawn.async(...args, (err: unknown, result: unknown) => {
          if (err === null || err === undefined) resolve(result as number);
          else reject(err instanceof Error ? err : new Error('posix_spawn failed'));
        });
      } catch {
        // koffi's queue of async calls is full (256 at once): spawn from this thread instead.
        resolve(libc.posixSpawn(...args) as number);
      }
    }).finally(() => {
      libc.faDestroy(actions);
      libc.close(writeFd);
    });
    if (rc !== 0) {
      libc.close(readFd);
      throw new SpawnError(request.file, errnoName(rc));
    }
    const childPid = pid[0] ?? 0;
    const output = new Socket({ fd: readFd, readable: true, writable: false });
    output.on('data', request.onOutput);
    const outputEnded = new Promise<void>((resolve) => {
      output.once('close', () => {
        resolve();
      });
    });
    // A read error (EIO) ends the output like an EOF would.
    output.on('error', () => undefined);
    return {
      pid: childPid,
      exited: reap(libc, childPid, outputEnded),
      outputEnded,
      abandonOutput() {
        output.destroy();
      },
    };
  }
}

/** Waits for `pid` without blocking: a check when the output ends, and one every REAP_POLL_MS. */
function reap(libc: Libc, pid: number, outputEnded: Promise<void>): Promise<Exit> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const check = (): boolean => {
      if (done) return true;
      const status = [0];
      const r = libc.waitpid(pid, status, WNOHANG) as number;
      if (r === 0) return false;
      done = true;
      clearTimeout(timer);
      // r === -1 (ECHILD) cannot happen for our own child; report it as ended by nothing known.
      resolve(r === pid ? decodeStatus(status[0] ?? 0) : { code: null, signal: null });
      return true;
    };
    const poll = (delayMs: number): void => {
      timer = setTimeout(() => {
        if (!check()) poll(Math.min(delayMs * 2, REAP_POLL_MS));
      }, delayMs);
    };
    poll(REAP_POLL_MS);
    void outputEnded.then(() => {
      // The pipe closes as the process exits; the kernel may need a moment to make it a zombie:
      // look again after this turn of the event loop, then back off.
      if (check()) return;
      clearTimeout(timer);
      setImmediate(() => {
        if (!check()) poll(1);
      });
    });
  });
}

/** A wait status as an exit code or a signal (WIFEXITED / WIFSIGNALED). */
function decodeStatus(status: number): Exit {
  const low = status & 0x7f;
  if (low === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: signalNamed(low) ?? null };
}

function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `errno ${String(n)}`;
}
