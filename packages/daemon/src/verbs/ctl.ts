/**
 * `switchboard ctl [-c FILE] [--json] ACTION`: asks the running daemon over its control socket
 * (DESIGN §12), found from the config as the daemon finds it.
 */
import type { Results } from '../control/actions.js';
import { ask, NoAnswerError } from '../control/client.js';
import { socketPathProblem, type Request } from '../control/protocol.js';
import { controlSocketPath } from '../control/socket-path.js';
import { EXIT, UsageError, type Io } from '../io.js';

/** Help text of `ctl`. */
export const CTL_HELP = `Usage: switchboard ctl [-c FILE] [--json] ACTION

Asks the running daemon over its control socket: control.socket in the config (default
data/control.sock next to the config file, or $STATE_DIRECTORY/control.sock when that is set,
as in the Docker image and the systemd unit). The socket is mode 0600: run ctl as the user
the daemon runs as, or as root.

Actions:
  status                version, uptime, each channel with its address and commands ok and
                        failed, the outbox, lockdown and maintenance
  bans                  the banned sources, each with its channel and when the ban ends
  unban SOURCE          lifts the bans of SOURCE on every channel
  lock                  locks every channel down until the daemon restarts (as .e lock)
  maintenance [on|off]  shows maintenance, or turns it on or off (as .e maintenance)
  reload                reloads the config, as SIGHUP does, and says whether it applied

Options:
  --json   the daemon's answer as JSON

Exit status: 0 done, 1 no daemon answered, it refused, or the reload was not applied, 2 usage
or config error.

Examples:
  switchboard ctl status
  switchboard ctl -c /etc/switchboard/config.json unban 203.0.113.7
  docker exec switchboard switchboard ctl status`;

const ACTIONS = 'status, bans, unban SOURCE, lock, maintenance [on|off], reload';

/** Runs `ctl`; resolves to the exit status. */
export async function ctl(
  options: { file: string | undefined; json: boolean; args: readonly string[] },
  io: Io,
): Promise<number> {
  const request = requestOf(options.args);
  const path = await controlSocketPath(options.file, io);
  const problem = socketPathProblem(path);
  if (problem !== undefined) throw new UsageError(`control.socket: ${problem}`);
  let answer;
  try {
    answer = await ask(path, request);
  } catch (error) {
    if (!(error instanceof NoAnswerError)) throw error;
    io.stderr.write(`ctl: ${error.message}\n`);
    return EXIT.failed;
  }
  if (!answer.ok) {
    io.stderr.write(`ctl: ${answer.error}\n`);
    return EXIT.failed;
  }
  const failed = notApplied(request, answer.result);
  if (options.json) io.stdout.write(`${JSON.stringify(answer.result, null, 2)}\n`);
  else if (failed === undefined) io.stdout.write(`${text(request, answer.result)}\n`);
  if (failed === undefined) return EXIT.ok;
  io.stderr.write(`ctl: ${failed}\n`);
  return EXIT.failed;
}

/** The request an action asks for; throws UsageError for anything else. */
function requestOf(args: readonly string[]): Request {
  const [action, ...rest] = args;
  switch (action) {
    case undefined:
      throw new UsageError(`ctl: no action given (${ACTIONS})`);
    case 'status':
    case 'bans':
    case 'lock':
    case 'reload':
      if (rest.length > 0) throw new UsageError(`ctl: ${action} takes no argument`);
      return { verb: action };
    case 'unban':
      if (rest.length !== 1 || rest[0]?.trim() === '') {
        throw new UsageError('ctl: unban needs a SOURCE: switchboard ctl unban 203.0.113.7');
      }
      return { verb: action, source: rest[0] ?? '' };
    case 'maintenance':
      if (rest.length === 0) return { verb: action };
      if (rest.length === 1 && (rest[0] === 'on' || rest[0] === 'off')) {
        return { verb: action, on: rest[0] === 'on' };
      }
      throw new UsageError('ctl: maintenance takes on or off, or nothing to show it');
    default:
      throw new UsageError(`ctl: unknown action "${action}" (${ACTIONS})`);
  }
}

/** What went wrong by the answer's own account: a reload not applied. */
function notApplied(request: Request, result: unknown): string | undefined {
  if (request.verb !== 'reload') return undefined;
  const outcome = result as Results['reload'];
  return outcome.applied ? undefined : `the new config was not applied: ${outcome.reason}`;
}

/** A successful answer in words. */
function text(request: Request, result: unknown): string {
  switch (request.verb) {
    case 'status':
      return statusText(result as Results['status']);
    case 'bans': {
      const { bans, more } = result as Results['bans'];
      const lines = bans.map((b) => `${b.source} on ${b.channel} until ${b.expiresAt}`);
      if (more > 0) lines.push(`and ${more} more`);
      return lines.length === 0 ? 'no bans' : lines.join('\n');
    }
    case 'unban': {
      const { source, lifted } = result as Results['unban'];
      return lifted === 0 ? `${source} is not banned` : `unbanned ${source} (${lifted} ban(s))`;
    }
    case 'lock':
      return 'locked down until restart: every channel now refuses';
    case 'maintenance':
      return `maintenance is ${onOff((result as Results['maintenance']).maintenance)}`;
    case 'reload':
      return 'reloaded: the new config is in force';
  }
}

/** `ctl status` as lines. */
function statusText(status: Results['status']): string {
  const width = Math.max(0, ...status.channels.map((c) => c.name.length));
  const channels = status.channels.map(
    (c) =>
      `  ${c.name.padEnd(width)}  ${c.address ?? '(not running)'}  ` +
      `commands: ${c.ok} ok, ${c.failed} failed`,
  );
  return [
    `switchboard ${status.version}, pid ${status.pid}, up ${duration(status.uptimeSec)}`,
    ...(channels.length === 0 ? ['channels: none running'] : ['channels:', ...channels]),
    `outbox: ${status.outbox.queued} queued, ${status.outbox.failed} failed`,
    `lockdown: ${onOff(status.lockdown)}`,
    `maintenance: ${onOff(status.maintenance)}`,
  ].join('\n');
}

function onOff(on: boolean): string {
  return on ? 'on' : 'off';
}

/** `2d3h4m5s`, leading zero units left out. */
function duration(totalSec: number): string {
  const units = [
    [Math.floor(totalSec / 86_400), 'd'],
    [Math.floor(totalSec / 3600) % 24, 'h'],
    [Math.floor(totalSec / 60) % 60, 'm'],
  ] as const;
  const first = units.findIndex(([n]) => n > 0);
  const shown = first < 0 ? [] : units.slice(first).map(([n, unit]) => `${n}${unit}`);
  return `${shown.join('')}${totalSec % 60}s`;
}
