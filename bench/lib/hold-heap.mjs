// Preloaded into a daemon (NODE_OPTIONS=--import=…) by the `shell-heap` scenario: allocates
// HOLD_HEAP_MIB MiB of live, touched heap and keeps it for the life of the process, the way a
// daemon grown large would. Never loaded outside the benchmark.
import { Buffer } from 'node:buffer';

const mib = Number(process.env.HOLD_HEAP_MIB ?? '512');
const held = [];
for (let i = 0; i < mib; i++) held.push(Buffer.alloc(1024 * 1024, i & 0xff).toString('latin1'));
globalThis.switchboardBenchHeldHeap = held;
