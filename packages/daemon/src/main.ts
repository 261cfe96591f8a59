/**
 * The `switchboard` command line (DESIGN §8, §17): verbs, usage and exit statuses. Every verb
 * has --help; errors are one clear message, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { ConfigKeyError } from '@switchboard/core';
import { EXIT, UsageError, type Io } from './io.js';
import { check, CHECK_HELP } from './verbs/check.js';
import { ctl, CTL_HELP } from './verbs/ctl.js';
import { exec, EXEC_HELP } from './verbs/exec.js';
import { health, HEALTH_HELP } from './verbs/health.js';
import { key, KEY_HELP } from './verbs/key.js';
import { run, RUN_HELP } from './verbs/run.js';
import { dtmf, DTMF_HELP } from './verbs/dtmf.js';
import { totp, TOTP_HELP } from './verbs/totp.js';
import { cliVersion } from './version.js';

/** The usage text of `switchboard` itself. */
export const MAIN_HELP = `Usage: switchboard <command> [options]

Runs app commands on this server from the web, mail, Telegram, SMS or a telephone keypad.

Commands:
  run     [-c FILE]                          run the daemon: every enabled channel
  check   [-c FILE]                          validate a config file, list every problem
  exec    [-c FILE] [--channel NAME] -- CMD  run one command through a channel's pipeline
  health  [-c FILE]                          ask the running daemon whether it answers
  ctl     [-c FILE] [--json] ACTION          the running daemon's status, bans, lock, maintenance, reload
  totp    [-c FILE] [--no-qr]                one-time-code pairs and authenticator enrolment
  dtmf    [--encode] TEXT                    decode telephone keypad digits, or show the keys for a text
  key     new NAME                           make an API key and print its config entry

Options:
  -c, --config FILE   config file (default $SWITCHBOARD_CONFIG, else ./config.json)
  -h, --help          help for a command: switchboard exec --help
  --version           the version of switchboard

Docs: README.md and docs/ in the source tree.`;

/** Each verb's help text; its keys are the verbs. */
const HELP: Readonly<Record<string, string>> = {
  run: RUN_HELP,
  check: CHECK_HELP,
  exec: EXEC_HELP,
  health: HEALTH_HELP,
  ctl: CTL_HELP,
  totp: TOTP_HELP,
  dtmf: DTMF_HELP,
  key: KEY_HELP,
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  // `npx switchboard -- --version`: npx keeps options after a `--` for the command.
  const [verb, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (verb === undefined) {
    // Nothing asked: the usage, as an error, so that a script that forgot its verb notices.
    io.stderr.write(`${MAIN_HELP}\n`);
    return EXIT.usage;
  }
  if (verb === '--version') {
    io.stdout.write(`switchboard ${cliVersion()}\n`);
    return EXIT.ok;
  }
  if (verb === '-h' || verb === '--help' || verb === 'help') {
    const topic = verb === 'help' ? rest[0] : undefined;
    io.stdout.write(`${(topic !== undefined ? HELP[topic] : undefined) ?? MAIN_HELP}\n`);
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        channel: { type: 'string' },
        'no-qr': { type: 'boolean' },
        encode: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const help = HELP[verb];
    if (help === undefined) throw new UsageError(`unknown command "${verb}"\n\n${MAIN_HELP}`);
    if (values.help === true) {
      io.stdout.write(`${help}\n`);
      return EXIT.ok;
    }
    switch (verb) {
      case 'run':
        return await run(values.config, io);
      case 'check':
        return await check(values.config, io);
      case 'health':
        return await health(values.config, io);
      case 'ctl':
        return await ctl(
          { file: values.config, json: values.json === true, args: positionals },
          io,
        );
      case 'exec':
        return await exec(
          {
            file: values.config,
            channel: values.channel,
            command: positionals.join(' ') || undefined,
          },
          io,
        );
      case 'key':
        return await key(positionals, io);
      case 'dtmf':
        return await dtmf(
          { encode: values.encode === true, text: positionals.join(' ') || undefined },
          io,
        );
      default:
        return await totp({ file: values.config, qr: values['no-qr'] !== true }, io);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`switchboard: ${error.message}\n`);
      return EXIT.usage;
    }
    // A failure that names its config key is one the user can fix: no "unexpected".
    if (error instanceof ConfigKeyError) {
      io.stderr.write(`switchboard: ${error.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`switchboard: unexpected error: ${String(error)}\n`);
    return EXIT.failed;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
  );
}
