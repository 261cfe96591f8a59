#!/usr/bin/env node
/**
 * The `switchboard` command line (DESIGN §8). Every verb has --help; errors are one clear
 * message, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { ConfigKeyError } from '@switchboard/core';
import { EXIT, UsageError, type Io } from './io.js';
import { check, CHECK_HELP } from './verbs/check.js';
import { exec, EXEC_HELP } from './verbs/exec.js';
import { run, RUN_HELP } from './verbs/run.js';
import { dtmf, DTMF_HELP } from './verbs/dtmf.js';
import { totp, TOTP_HELP } from './verbs/totp.js';

const MAIN_HELP = `Usage: switchboard <command> [options]

Runs app commands on this server from the web, mail, Telegram, SMS or a telephone keypad.

Commands:
  run    [-c FILE]                          run the daemon: every enabled channel
  check  [-c FILE]                          validate a config file, list every problem
  exec   [-c FILE] [--channel NAME] -- CMD  run one command through a channel's pipeline
  totp   [-c FILE] [--no-qr]                one-time-code pairs and authenticator enrolment
  dtmf   [--encode] TEXT                    decode telephone keypad digits, or show the keys for a text

Options:
  -c, --config FILE   config file (default ./config.json)
  -h, --help          help for a command: switchboard exec --help

Docs: docs/ in the source tree (configuration.md, pipeline.md, apps.md).`;

const HELP: Readonly<Record<string, string>> = {
  run: RUN_HELP,
  check: CHECK_HELP,
  exec: EXEC_HELP,
  totp: TOTP_HELP,
  dtmf: DTMF_HELP,
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '-h' || verb === '--help' || verb === 'help') {
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
      case 'exec':
        return await exec(
          {
            file: values.config,
            channel: values.channel,
            command: positionals.join(' ') || undefined,
          },
          io,
        );
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

// A closed pipe (`switchboard totp | head`) ends the output; it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTty: process.stdout.isTTY,
});
