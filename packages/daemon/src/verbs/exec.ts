/**
 * `switchboard exec [-c FILE] [--channel NAME] -- "COMMAND"`: one command through a channel's
 * pipeline, as if it arrived on that channel from source `cli`.
 */
import {
  CHANNELS,
  Pipeline,
  createServices,
  type ChannelName,
  type OutgoingMail,
} from '@switchboard/core';
import { readableLog } from '../cli-log.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { loadConfigOrFail } from '../load-config.js';

/** Help text of `exec`. */
export const EXEC_HELP = `Usage: switchboard exec [-c FILE] [--channel NAME] -- "COMMAND"

Runs one command through the pipeline of a channel (default http) with that channel's filters
and timeout, and prints the combined output. The command needs a password, shortcut or
one-time-code pair exactly as it would over the channel. Mail it sends (.m, notifications) is
queued in the outbox and delivered before exec exits (it waits up to 10 s); what cannot be
delivered by then stays in the outbox, and a daemon running with the same outbox sends it
within a few minutes (or at its next start). exec has its own guard state: bans, limits and
lockdown of a running daemon do not apply to it, nor its .e lock/unban to the daemon.

Channels: ${CHANNELS.join(', ')}

Exit status: 0 ok, 1 the result has an error, 2 usage or config error.

Examples:
  switchboard exec -c config.json -- "mypassword .s uptime"
  switchboard exec -c config.json --channel twilio -- "mypassword .e info"`;

/** Seconds exec waits for queued mail before leaving it to the daemon. */
const MAIL_DRAIN_MS = 10_000;
/** Timeout of a channel whose block is absent. */
const DEFAULT_TIMEOUT_SEC = 30;

/** Runs `exec`; resolves to the exit status. */
export async function exec(
  options: { file: string | undefined; channel: string | undefined; command: string | undefined },
  io: Io,
): Promise<number> {
  const channel = options.channel ?? 'http';
  if (!isChannel(channel)) {
    throw new UsageError(`unknown channel "${channel}" (choose one of ${CHANNELS.join(', ')})`);
  }
  if (options.command === undefined || options.command.trim() === '') {
    throw new UsageError('no command given: switchboard exec -- "PASSWORD .app input"');
  }
  const { config, baseDir } = await loadConfigOrFail(options.file, io);
  const services = createServices(config, {
    logDestination: readableLog(io.stderr),
    logLevel: io.env.SWITCHBOARD_LOG_LEVEL ?? 'warn',
    baseDir,
  });
  const queued: Promise<string>[] = [];
  const mail = {
    enqueue: (message: OutgoingMail): Promise<string> => {
      const id = services.outbox.enqueue(message);
      queued.push(id);
      return id;
    },
    pending: () => services.outbox.pending(),
    failed: () => services.outbox.failed(),
  };
  const pipeline = new Pipeline({ config, services: { ...services, mail } });
  // On a shared store the command sees (and may change) the deployment's state.
  await services.store.open();
  const result = await pipeline
    .process({
      channel,
      source: 'cli',
      content: options.command,
      timeoutSec: config[channel]?.timeoutSec ?? DEFAULT_TIMEOUT_SEC,
    })
    .finally(() => services.store.close());
  io.stdout.write(`${result.combinedOutput}\n`);
  if (queued.length > 0) {
    // A notification may still be on its way to disk.
    const ids = (await Promise.allSettled(queued)).flatMap((r) =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    // Only the mail this run queued is delivered here: the rest belongs to the daemon.
    await services.outbox.start({ resume: false });
    await services.outbox.drain(MAIL_DRAIN_MS);
    await services.outbox.stop();
    const pending = new Set(await services.outbox.pending());
    const waiting = ids.filter((id) => pending.has(id)).length;
    if (waiting > 0) {
      io.stderr.write(
        `${String(waiting)} mail(s) not delivered yet wait in the outbox; a daemon running ` +
          'with the same outbox sends them within a few minutes, or at its next start\n',
      );
    }
  }
  return result.error === undefined ? EXIT.ok : EXIT.failed;
}

function isChannel(name: string): name is ChannelName {
  return (CHANNELS as readonly string[]).includes(name);
}
