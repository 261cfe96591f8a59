/** `switchboard check [-c FILE]`: validate the config and report every problem. */
import {
  CHANNELS,
  ProcessRunner,
  checkSanity,
  failureText,
  tlsProblems,
  triggerProblems,
  APPS,
  type Config,
} from '@switchboard/core';
import { idleWarnings } from '../idle-warnings.js';
import { EXIT, type Io } from '../io.js';
import { loadConfigOrFail } from '../load-config.js';

/** Help text of `check`. */
export const CHECK_HELP = `Usage: switchboard check [-c FILE]

Validates the config file (default $SWITCHBOARD_CONFIG, else ./config.json) against the
schema, then checks that every channel listening beyond loopback is safe (a real password, an
output length limit), and reads the TLS files of enabled channels (readable, PEM, the key matches the certificate;
relative paths are relative to the config file). Prints every problem with its JSON path,
or the channels and apps it would run, how programs are started (posix_spawn, or
child_process and why), what a time limit stops (contain: pidns, or group and why;
apps.shell.contain "pidns" where it cannot work is a problem) and where the security state
lives (state: memory, or redis at HOST:PORT; the URL's password is never printed).

Exit status: 0 the config is valid and safe, 1 it has problems.

Example:
  switchboard check -c /etc/switchboard/config.json`;

/** Runs `check`; resolves to the exit status. */
export async function check(file: string | undefined, io: Io): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfigOrFail(file, io);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  const problems = [
    ...triggerProblems(APPS),
    ...checkSanity(loaded.config),
    ...(await tlsProblems(loaded.config)),
  ];
  // Tried as the daemon would (a namespace, once): "pidns" asked where it fails is a problem.
  const processes = new ProcessRunner();
  let contain = '';
  try {
    const containment = await processes.containment(loaded.config.apps.shell.contain);
    contain = containment.mode === 'group' ? `group (${containment.why})` : containment.mode;
  } catch (error) {
    problems.push(failureText(error));
  }
  if (problems.length > 0) {
    io.stderr.write(
      `${loaded.name}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
    return EXIT.failed;
  }
  const channels = CHANNELS.filter((c) => loaded.config[c]?.enabled === true);
  const apps = APPS.filter((a) => a.isConfigured(loaded.config)).map((a) => a.trigger);
  const { backend, why } = processes.choice;
  io.stdout.write(
    `${loaded.name}: OK\n  channels: ${channels.length === 0 ? 'none' : channels.join(', ')}\n` +
      `  apps: ${apps.join(' ')}\n` +
      `  programs: ${backend.name}${why === undefined ? '' : ` (${why})`}\n` +
      `  contain: ${contain}\n` +
      `  state: ${stateOf(loaded.config)}\n`,
  );
  for (const warning of idleWarnings(loaded.config)) io.stderr.write(`warning: ${warning}\n`);
  return EXIT.ok;
}

/** Where the security state lives; a Redis URL by its host only (it may hold a password). */
function stateOf(config: Config): string {
  const { store, redis } = config.state;
  if (store === 'memory' || redis === undefined) return 'memory';
  return `redis at ${new URL(redis.url).host}, keys ${redis.keyPrefix}*`;
}
