/**
 * What a time limit can reach (DESIGN §11, `apps.shell.contain`). `"group"`: the command leads
 * its own process group, and descendants that left it are found by parentage in /proc while
 * their parent lives; a double-forked one (`(setsid sleep 706 &)`) is out of reach. `"pidns"`:
 * the command runs in a PID namespace of its own, so nothing it starts can leave; the namespace
 * ends with the command, and so does everything in it.
 *
 *   unshare --pid --fork --kill-child -- tini -g -- FILE ARGS…
 *
 * util-linux `unshare` is what the daemon starts: it blocks SIGTERM while it waits, so a time
 * limit's SIGTERM only ends the command (it dies of its child's signal, or exits with its code);
 * its SIGKILL kills it, and --kill-child turns that into the end of the namespace's PID 1, which
 * the kernel turns into the end of every process in the namespace. tini is that PID 1: a PID 1
 * ignores every signal it has no handler for (a shell there would outlive SIGTERM and even its
 * own `kill -KILL $$`), so the command runs as PID 2 with the usual semantics, in a group of its
 * own that tini forwards the SIGTERM to. tini reports a death by signal N as exit code 128+N, which
 * commandExit turns back into the signal. Without root, a user namespace maps the daemon's user to
 * itself. Where the kernel or a container forbids the namespace, probePidns says why.
 */
import { accessSync, constants } from 'node:fs';
import type { ProgramResult } from './run-program.js';
import { signalNamed, SpawnError, type Exit } from './spawn-backend.js';

/** The values of `apps.shell.contain`. */
export type ContainMode = 'pidns' | 'group';

/** How commands are contained, and (for "group") why, for `check` and the start-up line. */
export type Containment =
  | { readonly mode: 'group'; readonly why: string }
  | {
      readonly mode: 'pidns';
      /** unshare's path and its options up to tini's path and options (ending in `--`). */
      readonly prefix: readonly [string, ...string[]];
    };

/** What a started program must be: the command itself, or the namespace around it. */
export interface ContainedCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** The standard directories where util-linux and tini are installed. */
const TOOL_DIRS = ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin'] as const;

/** The highest signal number tini's 128+N can stand for (Linux: 64 with the real-time ones). */
const MAX_SIGNAL = 64;

/** The program to start for `file args` under `containment`. */
export function containedCommand(
  containment: Containment | undefined,
  file: string,
  args: readonly string[],
): ContainedCommand {
  if (containment?.mode !== 'pidns') return { file, args };
  // tini would report a missing program as output and exit 127: check first, so that it is the
  // same `cannot run FILE: not found` as in a process group (access is one syscall, no pool).
  try {
    accessSync(file, constants.X_OK);
  } catch (err) {
    throw new SpawnError(file, (err as NodeJS.ErrnoException).code ?? 'EIO');
  }
  const [unshare, ...options] = containment.prefix;
  return { file: unshare, args: [...options, file, ...args] };
}

/** How the command itself ended, from how the started program (maybe unshare) ended. */
export function commandExit(containment: Containment | undefined, exit: Exit): Exit {
  if (containment?.mode !== 'pidns' || exit.code === null || exit.code <= 128) return exit;
  const signal = exit.code <= 128 + MAX_SIGNAL ? signalNamed(exit.code - 128) : undefined;
  return signal === undefined ? exit : { code: null, signal };
}

/** The first executable named `name` in the standard directories. */
function findTool(name: string): string | undefined {
  for (const dir of TOOL_DIRS) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a program in its process group: how the probe tries the namespace. */
export type TrialRun = (file: string, args: readonly string[]) => Promise<ProgramResult>;

/**
 * Whether a PID namespace works here: unshare and tini are installed, and a trial `sh -c 'echo
 * $$'` inside prints 2 (the command is PID 2 under tini). Else "group" and why, in one line.
 */
export async function probePidns(shell: string, trial: TrialRun): Promise<Containment> {
  const unshare = findTool('unshare');
  if (unshare === undefined) return { mode: 'group', why: 'util-linux unshare is not installed' };
  const tini = findTool('tini-static') ?? findTool('tini');
  if (tini === undefined) return { mode: 'group', why: 'tini is not installed' };
  const user = process.getuid?.() === 0 ? [] : ['--user', '--map-current-user'];
  const prefix: [string, ...string[]] = [
    unshare,
    ...user,
    '--pid',
    '--fork',
    '--kill-child',
    '--',
    tini,
    '-g',
    '--',
  ];
  let result: ProgramResult;
  try {
    result = await trial(unshare, [...prefix.slice(1), shell, '-c', 'echo $$']);
  } catch (err) {
    return { mode: 'group', why: err instanceof Error ? err.message : String(err) };
  }
  if (result.exitCode === 0 && result.output === '2\n') return { mode: 'pidns', prefix };
  // unshare's own words, e.g. `unshare: unshare failed: Operation not permitted`.
  const said = result.output.trim().split('\n')[0] ?? '';
  const status = result.signal ?? `exit status ${String(result.exitCode)}`;
  return { mode: 'group', why: said === '' ? `unshare failed (${status})` : said };
}
