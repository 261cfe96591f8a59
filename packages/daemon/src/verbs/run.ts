/** `switchboard run [-c FILE]`: the long-running daemon. */
import { dirname, resolve } from 'node:path';
import { failureText } from '@switchboard/core';
import { Daemon } from '../daemon.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { configFileName } from '../load-config.js';
import { compileFromNowOn } from '../v8-tuning.js';

/** Help text of `run`. */
export const RUN_HELP = `Usage: switchboard run [-c FILE]

Starts every enabled channel of the config (default $SWITCHBOARD_CONFIG, else ./config.json)
and runs until stopped.
Refuses to start when the config is invalid, unsafe for where a channel listens (for
example the example password on a public address), or names TLS files that cannot be used.
A start-up failure names its config key: "http.listen: address already in use".

While running:
  - the config file is watched; a valid change is applied at once (filters, apps, limits
    and the mail relay without dropping connections; listen changes restart the channels);
    an invalid one is logged and the running config stays. SIGHUP reloads too.
  - a change whose channels cannot start (a listen address in use, say) is not applied:
    the log says "cannot apply the new config: <key>: <reason>", and the old config and
    listeners stay.
  - SIGTERM or SIGINT (Ctrl-C), or the command ".e stop", stop accepting, let running
    commands finish (up to 15 s) and exit 0. During start-up they stop the start.

Logs: JSON lines on stdout, readable lines on a terminal. SWITCHBOARD_LOG_LEVEL=debug for more.

Exit status: 0 stopped when told to, 1 failed while starting or stopped by a failure (the old
channels could not be restarted after a failed reload), 2 invalid or unsafe config.`;

/** Runs the daemon until it stops; resolves to the exit status. */
export async function run(file: string | undefined, io: Io): Promise<number> {
  const path = resolve(configFileName(file, io));
  const daemon = new Daemon(path, dirname(path), io);
  const onStop = (): void => {
    void daemon.stop();
  };
  const onHup = (): void => {
    void daemon.reload('SIGHUP');
  };
  let signals = 0;
  const onSignal = (): void => {
    // A second Ctrl-C means "now": do not wait for running commands.
    if (++signals > 1) process.exit(EXIT.failed);
    onStop();
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal).on('SIGHUP', onHup);
  try {
    await daemon.start();
    compileFromNowOn();
    await daemon.stopped;
    // A stop because a reload left no working channels is a failure, not a requested stop.
    return daemon.failed ? EXIT.failed : EXIT.ok;
  } catch (error) {
    await daemon.stop();
    if (error instanceof UsageError) throw error;
    // `http.listen: address already in use`: the key and a plain reason, never a raw error.
    io.stderr.write(`switchboard: ${failureText(error)}\n`);
    return EXIT.failed;
  } finally {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal).off('SIGHUP', onHup);
  }
}
