/**
 * How `switchboard` sets V8 for a small idle daemon (DESIGN §9, the idle memory budget).
 *
 * - The young generation stays at its initial size (1 MiB semi-spaces) for the whole process.
 *   By default V8 grows it to 16 MiB semi-spaces while the daemon loads its ~800 modules, and
 *   an idle daemon gives that back only at its next scavenge, far off when nothing allocates:
 *   ~20 MiB of idle RSS. Under load it grew the same way, and a flood of requests held ~50 MiB
 *   more than with the small one.
 * - `run` starts with V8's interpreter only, and turns its compilers (Sparkplug, TurboFan) on
 *   once the daemon serves. Loading the modules is hot enough to wake them, so at start-up
 *   they compiled code that never runs again (the module loader's), and what that cost stayed:
 *   TurboFan's pages of the node binary, the malloc arenas of its threads and the baseline
 *   code, ~7 MiB of idle RSS. From then on they compile what really runs hot: the requests'
 *   paths, as before.
 *
 * These flags, unlike `--max-semi-space-size` or `--v8-pool-size`, are read each time V8 uses
 * them, so they take effect when set here, after the heap exists (`switchboard run` cannot pass
 * itself V8 flags, and NODE_OPTIONS refuses them).
 */
import { setFlagsFromString } from 'node:v8';

/** Stops V8 from growing the young generation; call before the daemon's modules load. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Start-up in the interpreter only; call before the daemon's modules load. */
export function deferCompilers(): void {
  setFlagsFromString('--no-sparkplug');
  setFlagsFromString('--no-opt');
}

/** V8's compilers from now on: the daemon serves. Nothing changes without deferCompilers(). */
export function compileFromNowOn(): void {
  setFlagsFromString('--sparkplug');
  setFlagsFromString('--opt');
}
