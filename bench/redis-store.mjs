// redis-store: a wrong password and `.s true` over POST /api/command with the security state on
// Redis (`state.store` "redis", a redis-server on loopback started here) against the memory
// store. On Redis each command costs a few loopback round trips (ban, limits, known source,
// failed login or code pair); the ratios say what sharing the state costs one instance.
import { RedisServer } from '@switchboard/core/testing';
import { compareHttp } from './lib/compare-http.mjs';
import { benchConfig, PASSWORD, startDaemon } from './lib/daemon.mjs';
import { atLeast, httpRows } from './lib/report.mjs';

const JOBS = [
  { what: 'reject', command: 'wrong-password .e bans', expect: 'refused', target: 0.3 },
  { what: '.s true', command: `${PASSWORD} .s true`, expect: 'ok', target: 0.6 },
];

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const redis = await RedisServer.start();
  const onRedis = (dir, port) =>
    benchConfig(dir, port, { state: { store: 'redis', redis: { url: redis.url } } });
  const result = {
    name: 'redis-store',
    title: 'A wrong password and `.s true` over the API, state on Redis vs in memory',
    head: [],
    rows: [],
    checks: [],
  };
  try {
    for (const { what, command, expect, target } of JOBS) {
      const job = {
        path: '/api/command',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command }),
        expect,
      };
      const { medians, ratio } = await compareHttp(profile, {
        [`redis, ${what}`]: { start: () => startDaemon(onRedis), job },
        [`memory, ${what}`]: { start: () => startDaemon(), job },
      });
      const { head, rows } = httpRows(medians);
      result.head = head;
      result.rows.push(...rows);
      result.checks.push(atLeast(`redis / memory req/s, ${what}`, ratio, target));
    }
  } finally {
    await redis.stop();
  }
  return result;
}
