/**
 * V8's young generation, kept at its initial size (1 MiB semi-spaces) for the whole process
 * (DESIGN §9). By default V8 grows it to 16 MiB semi-spaces while the daemon loads its ~800
 * modules, and an idle daemon gives that back only at its next scavenge, far off when nothing
 * allocates: ~20 MiB of idle RSS. Under load it grew the same way, and a flood of requests held
 * ~50 MiB more than with the small one. `--semi-space-growth-factor`, unlike
 * `--max-semi-space-size`, is read each time V8 would grow the space, so it takes effect when
 * set here, after the heap exists (`switchboard run` cannot pass itself V8 flags).
 */
import { setFlagsFromString } from 'node:v8';

/** Stops V8 from growing the young generation; call before the daemon's modules load. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
