/**
 * The young generation while the daemon starts (DESIGN §9). Loading ~800 modules makes V8 grow
 * its young generation from 1 MiB to 16 MiB semi-spaces, and an idle daemon gives that back only
 * at its next scavenge, which is far off when nothing allocates: ~20 MiB of idle RSS for as long
 * as it stays idle. Held at its initial size until the daemon is up, the young generation never
 * grows during start-up, and V8's memory reducer then finds a small heap to compact. The growth
 * factor, unlike `--max-semi-space-size`, is read each time V8 would grow the space, so it can
 * be set from here, after the heap exists.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default `--semi-space-growth-factor` (flag-definitions.h). */
const V8_GROWTH_FACTOR = 2;

/** Keeps the young generation at its current size; call before the daemon's modules load. */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Gives V8 its own young-generation growth back: under load the daemon runs as it always did. */
export function releaseYoungGeneration(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}
