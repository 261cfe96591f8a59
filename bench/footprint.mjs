// footprint: the daemon with every channel on (http, smtp, telegram polling a local fake Bot
// API, twilio): start-up time (spawn to the first 200 from /healthz), idle RSS (target ≤ 64 MiB:
// Node's spawn slows as the daemon's memory grows, see DESIGN §9), and RSS while and after
// wrong-password requests from 100k distinct client addresses (target: flat, since every guard
// table is capped). Addresses come from X-Forwarded-For, trusted from loopback only. Last, the
// daemon's children after one `.s true` (none: programs are spawned from the daemon itself).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig, PASSWORD, startDaemon, unlimited } from './lib/daemon.mjs';
import { startFakeBotApi } from './lib/fake-bot-api.mjs';
import { httpLoad } from './lib/load.mjs';
import { freePort, rssMiB } from './lib/proc.mjs';
import { median } from './lib/rounds.mjs';
import { num } from './lib/report.mjs';

const QUARTERS = 4;
const IDLE_TARGET_MIB = 64;
/** Flags that trade idle memory for little: a 1 MiB young generation, one V8 worker thread. */
const V8_FLAGS = '--max-semi-space-size=1 --v8-pool-size=1';
/** What stands in the way of the idle target, what was changed and tried (issues 11 and 16). */
const FOOTPRINT_NOTES = [
  '**Where the idle RSS went** (issue 16, measured on the daemon of this scenario, ' +
    '/proc/PID/smaps and a heap snapshot, before the changes below): a bare `node -e` is 39.5 ' +
    'MiB, 34 MiB of it file pages of the node binary and libraries. The idle daemon was ~70 ' +
    'MiB: ~46 MiB file pages (of node’s binary: +5 MiB code in use, a good part of it ' +
    'TurboFan, which the module loader’s hot paths woke at start-up; +5 MiB sources and code ' +
    'cache of the ~180 builtins loaded, against 64; 1 MiB of ICU; koffi’s library and its ' +
    'symbol lookups 1.7 MiB) and ~25 MiB anonymous: the V8 heap (~17 MiB committed, 15.1 MiB ' +
    'live after a GC) and the malloc arenas of the main and V8 worker threads (~7 MiB). Heap ' +
    'of each package loaded alone, over the node builtins the daemon loads anyway: express ' +
    '+2.3 MiB, telegraf +2.2 (1.8 of it tr46’s IDNA table, loaded by node-fetch 2’s ' +
    'whatwg-url, which node-fetch uses only where there is no global URL, i.e. never), ' +
    'smtp-server +2.3, ajv +1.1, pino +1.1, chokidar +0.7, koffi +0.65.',
  '**What issue 16 changed**, each measured alone on a quiet machine (median of 3 starts): ' +
    '`run` starts in V8’s interpreter only and turns Sparkplug and TurboFan on once the ' +
    'daemon serves (v8-tuning.ts): 70.2 → 63.8 MiB with TurboFan deferred, 61.9 with ' +
    'whatwg-url left out too, 61.0 with Sparkplug deferred as well (file pages 45.7 → 41.6 ' +
    'MiB, anonymous 24.5 → 19.4). Telegraf loads without whatwg-url: Node’s URL stands in for ' +
    'it in the require cache (an npm override could not do it: npm keeps the locked package, ' +
    'and drops overrides reached through a workspace). Before, in the same issue: V8’s young ' +
    'generation is kept at its initial 1 MiB semi-spaces (`--semi-space-growth-factor=1`), ' +
    'so start-up no longer grows it to 16 MiB ones, which an idle daemon gave back only at ' +
    'its next scavenge, and the flood above ends at ~110 MiB instead of ~168; ' +
    'rate-limiter-flexible’s three classes come from their own files, not its index of ~30 ' +
    'stores (~0.9 MiB); the config schema is compiled per load, not kept (~1.3 MiB, ~0.2 s ' +
    'per reload); otplib loads at the first code (~0.5 MiB). After start-up, the first ' +
    'requests of any kind wake the compilers: ~5 MiB (mostly TurboFan’s pages of the node ' +
    'binary) after 50 `.s true` over the API as after opening the console, whose own code ' +
    'is 0.7 MiB (http channel only: 58.0 → 62.9 and 63.5 MiB; 58.7 with the compilers kept off).',
  '**What was tried and dropped**: a precompiled config validator (ajv standalone) instead ' +
    'of compiling per load: its code is 470 KB that a module would keep for good, while ajv ' +
    'stays loaded for the API’s request schemas anyway. A forced GC after start-up (1–2 MiB ' +
    'once V8’s memory reducer has run); MALLOC_ARENA_MAX=1 (nothing). Before: channel ' +
    'packages load only when enabled (112 → 84 MiB http only); the twilio package replaced ' +
    'by our own signature check and TwiML writer (93 → 89 MiB). `--v8-pool-size=1` (row ' +
    'above, set in NODE_OPTIONS: it cannot be set at run time) saved ~2 MiB more before the ' +
    'compilers were deferred, and nothing now: those threads’ arenas were TurboFan’s.',
];

/** "Flat": the second half of the flood may add at most this share to the RSS of the first. */
const FLAT_TOLERANCE = 0.1;

/** Runs one `.s true`, then counts the daemon's children: there is no helper process any more. */
async function childrenAfterOneCommand(daemon) {
  const res = await fetch(`${daemon.url}/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command: `${PASSWORD} .s true` }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`footprint: .s true answered ${res.status}`);
  const children = await readFile(`/proc/${daemon.pid}/task/${daemon.pid}/children`, 'utf8');
  return children.trim() === '' ? 0 : children.trim().split(' ').length;
}

/**
 * RSS 3 s after the owner opens the console: a login, the page, its script and one state
 * read. The console loads on first use (docs/console.md), so idle RSS is without it. These
 * first requests also wake V8's compilers, deferred at start-up: most of the difference.
 */
async function rssWithConsoleOpen(daemon) {
  const login = await fetch(`${daemon.url}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: PASSWORD }),
  });
  await login.arrayBuffer();
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 200 || cookie === undefined) {
    throw new Error(`footprint: console login answered ${login.status}`);
  }
  for (const path of ['/console', '/console/console.js', '/console/state']) {
    const res = await fetch(`${daemon.url}${path}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`footprint: ${path} answered ${res.status}`);
  }
  await sleep(3000);
  return rssMiB(daemon.pid);
}

/**
 * RSS just after start-up and idle. V8 gives back the young generation grown during start-up
 * only after some idle seconds (its memory reducer), at no fixed time: RSS is polled until it
 * falls by a sixth or `idleSec` passes.
 */
async function idleRss(daemon, profile) {
  const justStarted = await rssMiB(daemon.pid);
  const idleFrom = performance.now();
  let idle = justStarted;
  while (idle > justStarted * (5 / 6) && performance.now() - idleFrom < profile.idleSec * 1000) {
    await sleep(250);
    idle = await rssMiB(daemon.pid);
  }
  return { justStarted, idle, idleSec: (performance.now() - idleFrom) / 1000 };
}

/** The guard's heap after a forced GC at each quarter of `total` distinct sources. */
function guardHeapMiB(total) {
  const script = fileURLToPath(new URL('./lib/guard-heap.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, String(total)], (error, stdout) => {
      if (error !== null) reject(error);
      else resolve(JSON.parse(stdout).heapMiB);
    });
  });
}

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const bot = await startFakeBotApi();
  const smtpPort = await freePort();
  const allChannels = (dir, port) => {
    const base = benchConfig(dir, port);
    return {
      ...base,
      http: { ...base.http, trustProxy: ['loopback'] },
      smtp: { listen: `127.0.0.1:${smtpPort}`, myDomains: ['localhost'], rateLimit: unlimited() },
      telegram: { token: '123456:bench-token', apiRoot: bot.apiRoot },
      twilio: { authToken: 'bench-twilio-token', publicUrl: 'https://sb.example.com' },
    };
  };
  let daemon;
  try {
    // Before the others: both would bind the same smtp port.
    const flagged = await startDaemon(allChannels, { NODE_OPTIONS: V8_FLAGS });
    const withFlags = await idleRss(flagged, profile).finally(() => flagged.stop());
    const startups = [];
    for (let i = 0; i < profile.startups; i++) {
      await daemon?.stop();
      daemon = await startDaemon(allChannels);
      startups.push(daemon.startupMs);
    }
    const { justStarted, idle, idleSec } = await idleRss(daemon, profile);
    const withConsole = await rssWithConsoleOpen(daemon);

    let peak = idle;
    const sampler = setInterval(() => {
      rssMiB(daemon.pid).then(
        (rss) => (peak = Math.max(peak, rss)),
        () => undefined,
      );
    }, 100);
    const perQuarter = Math.ceil(profile.distinctRequests / QUARTERS);
    const curve = [];
    try {
      for (let q = 0; q < QUARTERS; q++) {
        const summary = await httpLoad({
          url: `${daemon.url}/api/command`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ command: 'wrong-password .e bans' }),
          connections: profile.connections,
          amount: perQuarter,
          distinctSources: true,
          firstSource: q * perQuarter,
        });
        if (summary.ok > 0 || summary.errors > 0) {
          throw new Error(`footprint: unexpected answers ${JSON.stringify(summary)}`);
        }
        curve.push(await rssMiB(daemon.pid));
      }
    } finally {
      clearInterval(sampler);
    }
    await sleep(1000);
    const after = await rssMiB(daemon.pid);
    const children = await childrenAfterOneCommand(daemon);
    const half = curve[QUARTERS / 2 - 1];
    const growth = (curve[QUARTERS - 1] - half) / half;
    const n = perQuarter * QUARTERS;
    const heap = await guardHeapMiB(n);
    const heapGrowth = (heap[QUARTERS - 1] - heap[QUARTERS / 2 - 1]) / heap[QUARTERS / 2 - 1];
    return {
      name: 'footprint',
      title: 'Start-up time and memory, every channel on',
      head: ['measure', 'value'],
      rows: [
        ['start-up, spawn → first 200 from /healthz (median)', `${num(median(startups))} ms`],
        ['RSS just after start-up', `${num(justStarted, 1)} MiB`],
        [`RSS idle (${num(idleSec, 1)} s after start-up)`, `${num(idle, 1)} MiB`],
        [`RSS idle with NODE_OPTIONS="${V8_FLAGS}"`, `${num(withFlags.idle, 1)} MiB`],
        [
          'RSS 3 s after opening the console (its first requests wake V8’s compilers)',
          `${num(withConsole, 1)} MiB`,
        ],
        ...curve.map((rss, q) => [
          `RSS after ${num((q + 1) * perQuarter)} requests from distinct sources`,
          `${num(rss, 1)} MiB`,
        ]),
        ['RSS peak during the flood', `${num(peak, 1)} MiB`],
        ['RSS 1 s after the flood', `${num(after, 1)} MiB`],
        // Programs are spawned from the daemon (posix_spawn): no helper process beside it.
        ['child processes after one `.s true`', num(children)],
        // The same flood in process, heap after a forced GC: what the guard really holds.
        ...heap.map((mib, q) => [
          `heap after GC, in process, after ${num((q + 1) * perQuarter)} distinct sources`,
          `${num(mib, 1)} MiB`,
        ]),
      ],
      checks: [
        {
          what: 'idle RSS',
          value: `${num(idle, 1)} MiB`,
          target: `≤ ${IDLE_TARGET_MIB} MiB`,
          met: idle <= IDLE_TARGET_MIB,
        },
        {
          what: `RSS growth from ${num(n / 2)} to ${num(n)} sources`,
          value: `${num(growth * 100, 1)}%`,
          target: `flat (≤ ${FLAT_TOLERANCE * 100}%)`,
          met: growth <= FLAT_TOLERANCE,
        },
        {
          what: `heap after GC, in process, from ${num(n / 2)} to ${num(n)} sources`,
          value: `${num(heapGrowth * 100, 1)}%`,
          target: `flat (≤ ${FLAT_TOLERANCE * 100}%)`,
          met: heapGrowth <= FLAT_TOLERANCE,
        },
      ],
      notes: FOOTPRINT_NOTES,
    };
  } finally {
    await daemon?.stop();
    await bot.close();
  }
}
