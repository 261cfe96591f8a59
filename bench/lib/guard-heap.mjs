// Child process for bench/footprint.mjs: wrong passwords from N distinct sources through the
// real pipeline and guard, in process, with the heap measured after a forced GC at each quarter.
// RSS (the daemon's figure) includes what V8 has reserved and not yet returned; the heap after
// a full GC is what the guard's tables actually hold. Run with --expose-gc; prints JSON.
import { APPS, bootstrap, createConfigLoader } from '../../packages/core/dist/index.js';

const total = Number(process.argv[2] ?? 100_000);
const loaded = createConfigLoader(APPS).parse(
  JSON.stringify({
    filters: { pinAndShortcuts: { passwords: ['bench-password'] } },
    limits: { commandsPerSecond: 1_000_000 },
    http: { rateLimit: { requests: 1_000_000, perSec: 1 } },
  }),
  { env: {} },
);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const { runtime } = bootstrap(loaded.config, { logDestination: { write() {} }, baseDir: '/tmp' });
const heapMiB = [];
for (let i = 1; i <= total; i++) {
  const source = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  await runtime.process({ channel: 'http', source, content: 'wrong', timeoutSec: 5 });
  if (i % (total / 4) === 0) {
    globalThis.gc();
    heapMiB.push(process.memoryUsage().heapUsed / 1048576);
  }
}
process.stdout.write(JSON.stringify({ heapMiB }));
