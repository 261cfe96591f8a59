/**
 * Starts every enabled channel of a config (DESIGN §1: the daemon composes; channel packages
 * never import each other). The Twilio router and the Telegram webhook mount on the HTTP app.
 * A channel's package (and its libraries: telegraf, smtp-server, twilio's TwiML) is loaded only
 * when the channel is enabled, so a daemon carries in memory only what it serves.
 */
import type { ChannelHandle, ChannelName, Config, DaemonStatus, Runtime } from '@switchboard/core';

/** A started channel with its name. */
export interface RunningChannel {
  readonly name: ChannelName;
  readonly handle: ChannelHandle;
}

/**
 * Starts the enabled channels; on a failure, closes what started and rethrows. `signal` (the
 * daemon's stop) ends the start between channels and inside the Telegram start-up calls;
 * `status` is the daemon's, for the HTTP channel's console.
 */
export async function startChannels(
  runtime: Runtime,
  signal: AbortSignal,
  status: () => Promise<DaemonStatus>,
): Promise<RunningChannel[]> {
  const config = runtime.config();
  const running: RunningChannel[] = [];
  try {
    const http =
      config.http?.enabled === true
        ? (await import('@switchboard/httpd')).createHttpChannel(runtime, { status })
        : undefined;
    if (config.telegram?.enabled === true) {
      const { startTelegramChannel } = await import('@switchboard/telegram');
      // In webhook mode the bot mounts its handler on the HTTP app (checked by config: http on).
      const mount = http?.mount;
      running.push({
        name: 'telegram',
        handle: await startTelegramChannel(
          runtime,
          mount === undefined ? { signal } : { mount, signal },
        ),
      });
    }
    if (http !== undefined) {
      if (config.twilio?.enabled === true) {
        const twilio = await import('@switchboard/twilio');
        http.mount(twilio.MOUNT_PATH, twilio.createTwilioRouter(runtime));
      }
      signal.throwIfAborted();
      const handle = await http.listen();
      running.push({ name: 'http', handle });
      if (config.twilio?.enabled === true) {
        running.push({ name: 'twilio', handle: mounted(`${handle.address}twilio/`) });
      }
    }
    if (config.smtp?.enabled === true) {
      signal.throwIfAborted();
      const { startSmtpChannel } = await import('@switchboard/smtpd');
      running.push({ name: 'smtp', handle: await startSmtpChannel(runtime) });
    }
  } catch (error) {
    await closeChannels(running);
    throw error;
  }
  return running;
}

/** A channel served by another's listener: nothing of its own to close. */
function mounted(address: string): ChannelHandle {
  return { address, close: () => Promise.resolve() };
}

/** Closes channels in reverse start order. */
export async function closeChannels(channels: readonly RunningChannel[]): Promise<void> {
  for (const channel of [...channels].reverse()) await channel.handle.close();
}

/**
 * What a channel binds or connects with at start. When it differs between two configs, a
 * reload restarts the channels; everything else (filters, apps, limits) is swapped in place.
 */
export function startKey(config: Config): string {
  return JSON.stringify({
    http: config.http && { ...config.http, filters: 0, rateLimit: 0, timeoutSec: 0 },
    smtp: config.smtp && {
      ...config.smtp,
      filters: 0,
      rateLimit: 0,
      timeoutSec: 0,
      myDomains: 0,
      forwardTo: 0,
    },
    telegram: config.telegram && {
      ...config.telegram,
      filters: 0,
      rateLimit: 0,
      timeoutSec: 0,
      allowedChatIds: 0,
    },
    twilio: config.twilio && { enabled: config.twilio.enabled },
  });
}
