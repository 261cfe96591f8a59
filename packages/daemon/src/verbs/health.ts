/** `switchboard health [-c FILE]`: whether the daemon running with a config answers (DESIGN §17). */
import { askHealthz, askSmtpGreeting, type ProbeResult } from '../health-probe.js';
import { healthTarget } from '../health-target.js';
import { EXIT, type Io } from '../io.js';
import { loadConfigOrFail } from '../load-config.js';

/** How long health waits for an answer: under the Docker HEALTHCHECK's 5 s timeout. */
const ANSWER_MS = 4000;

/** Help text of `health`. */
export const HEALTH_HELP = `Usage: switchboard health [-c FILE]

Asks the daemon that runs with this config whether it answers: GET /healthz on its http
channel, at the config's listen address, basePath and TLS (a daemon listening on every address,
0.0.0.0 or [::], is asked on loopback); without an http channel, the greeting of its smtp
channel. It waits up to 4 s. The Docker image's HEALTHCHECK runs it.

A config whose only channel is telegram listens nowhere: health says "not checked" and exits 0.

A daemon whose shared state store (Redis) is unreachable answers "degraded": it still serves,
on in-memory limits, so health says so and exits 0 (a restart would not bring Redis back).

Exit status: 0 healthy (or degraded), 1 anything else (no answer, an error status, a config that cannot be
read or has no channel to ask).

Example:
  switchboard health -c /etc/switchboard/config.json`;

/** Runs `health`; resolves to the exit status. */
export async function health(file: string | undefined, io: Io): Promise<number> {
  let config;
  try {
    config = (await loadConfigOrFail(file, io)).config;
  } catch (error) {
    // Docker reserves exit status 2: a config that cannot be read is simply not healthy.
    io.stderr.write(`unhealthy: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  const target = healthTarget(config);
  if (target.kind === 'unchecked') {
    io.stdout.write(`not checked: ${target.reason}\n`);
    return EXIT.ok;
  }
  if (target.kind === 'unhealthy') {
    io.stderr.write(`unhealthy: ${target.reason}\n`);
    return EXIT.failed;
  }
  const signal = AbortSignal.timeout(ANSWER_MS);
  let shown: string;
  let result: ProbeResult;
  if (target.kind === 'http') {
    shown = target.url;
    result = await askHealthz(target.url, signal);
  } else {
    shown = target.shown;
    result = await askSmtpGreeting(target.host, target.port, signal);
  }
  // `URL answered 404`, `URL greeted with 220`; a failure to connect: `URL: connection refused`.
  const line = `${shown}${/^(answered|greeted) /.test(result.detail) ? ' ' : ': '}${result.detail}`;
  if (result.healthy) {
    io.stdout.write(`healthy: ${line}\n`);
    return EXIT.ok;
  }
  io.stderr.write(`unhealthy: ${line}\n`);
  return EXIT.failed;
}
