/**
 * `.s` shell (DESIGN §3, §11, reference §8.1): runs `interpreter -c input` through the services'
 * process runner, with a scrubbed environment. The only app that takes a shell string, on
 * purpose. Restricted by default to a list of harmless commands.
 */
import type { Config } from '../config/types.js';
import { AppError } from '../errors.js';
import { chooseBackend } from '../process/process-runner.js';
import { programEnv } from '../process/program-env.js';
import { findInterpreter, runProgram } from '../process/run-program.js';
import type { ProgramResult } from '../process/run-program.js';
import { defineApp, type App } from './app.js';
import type { AppOutput } from './app.js';
import { failureOf, messageOf, runForApp } from './run-for-app.js';

/** What the restricted shell runs: the whole input, exact case, no arguments (laitos' list). */
export const SAFE_SHELL_COMMANDS = [
  'arch',
  'arp',
  'blkid',
  'cal',
  'date',
  'df',
  'dmesg',
  'dnsdomainname',
  'false',
  'free',
  'groups',
  'hostid',
  'hostname',
  'id',
  'ifconfig',
  'iostat',
  'ipconfig',
  'ipcs',
  'kbd_mode',
  'ls',
  'lsof',
  'lspci',
  'lsusb',
  'mpstat',
  'netstat',
  'nproc',
  'ps',
  'pstree',
  'pwd',
  'route',
  'stty',
  'tty',
  'uname',
  'uptime',
  'whoami',
] as const;

const SAFE_SET: ReadonlySet<string> = new Set(SAFE_SHELL_COMMANDS);

/** The refusal text of the restricted shell; it names what is allowed and how to lift the limit. */
export const RESTRICTED_SHELL_REFUSAL =
  `restricted shell refuses to run the command (allowed: ${SAFE_SHELL_COMMANDS.join(' ')}; ` +
  'set apps.shell.unrestricted to allow anything)';

// laitos gives its self-test 120 s; a shell that cannot echo in 10 s is broken for our purposes.
const SELF_TEST_TIMEOUT_SEC = 10;

/** `apps.shell`. */
export interface ShellSettings {
  readonly unrestricted: boolean;
  readonly interpreter?: string;
  /** What a time limit reaches (DESIGN §11); unset: "pidns" where it works, else "group". */
  readonly contain?: 'pidns' | 'group';
  /** What a command's environment gets beyond the base variables (DESIGN §11). */
  readonly env: {
    readonly pass: readonly string[];
    readonly set: Readonly<Record<string, string>>;
  };
}

/** The `.s` app. */
export const shellApp: App<ShellSettings, 'shell'> = defineApp({
  trigger: '.s',
  name: 'shell',
  docs: { enabled: 'always' },
  settings: {
    key: 'shell',
    defaults: { unrestricted: false, env: { pass: [], set: {} } },
    schema: {
      type: 'object',
      properties: {
        unrestricted: {
          type: 'boolean',
          description: 'Run any command; by default only the safe list, without arguments.',
        },
        interpreter: {
          type: 'string',
          minLength: 1,
          description: 'Path of the shell run as `interpreter -c input`; default bash, then sh.',
        },
        contain: {
          enum: ['pidns', 'group'],
          description:
            'What a time limit stops: "pidns" runs each command in a PID namespace of its own (nothing it starts can escape; what it leaves running ends with it), "group" its process group and the descendants found by parentage. Unset: "pidns" where it works, else "group"; "pidns" that cannot work here stops start-up.',
        },
        env: {
          type: 'object',
          description:
            'The environment of commands beyond PATH HOME LANG LC_ALL TZ USER LOGNAME SHELL TERM; variables the config references through ${ENV} are never passed.',
          properties: {
            pass: {
              type: 'array',
              description: "Names of the daemon's variables to pass on as they are.",
              items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            },
            set: {
              type: 'object',
              description: 'Variables to set, name to value.',
              propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
              additionalProperties: { type: 'string' },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  isConfigured: () => true,

  async selfTest(config: Config, stop?: AbortSignal): Promise<void> {
    const interpreter = await interpreterFor(config);
    const timeout = AbortSignal.timeout(SELF_TEST_TIMEOUT_SEC * 1000);
    let result: ProgramResult;
    try {
      // A self-test gets no services: its one start-up spawn uses this system's best backend.
      result = await runProgram(chooseBackend().backend, interpreter, ['-c', 'echo test'], {
        signal: stop === undefined ? timeout : AbortSignal.any([stop, timeout]),
        timeoutSec: SELF_TEST_TIMEOUT_SEC,
        env: programEnv(config, process.env),
      });
    } catch (err) {
      throw new Error(`shell: interpreter "${interpreter}" is not working: ${messageOf(err)}`, {
        cause: err,
      });
    }
    const problem = failureOf(result, SELF_TEST_TIMEOUT_SEC);
    if (problem !== undefined || result.output.trim() !== 'test') {
      const said = JSON.stringify(result.output.slice(0, 200));
      throw new Error(
        `shell: interpreter "${interpreter}" is not working: ${problem ?? 'unexpected output'} ` +
          `(echo test printed ${said})`,
      );
    }
  },

  async execute(input, ctx): Promise<string | AppOutput> {
    const command = input.trim();
    if (command === '') throw new AppError('empty command');
    if (!ctx.config.apps.shell.unrestricted && !SAFE_SET.has(command)) {
      throw new AppError(RESTRICTED_SHELL_REFUSAL);
    }
    const interpreter = await interpreterFor(ctx.config, () =>
      ctx.services.processes.interpreter(),
    );
    return runForApp(ctx, interpreter, ['-c', command]);
  },
});

/** The configured interpreter, else the first one found (looked up once per runner). */
async function interpreterFor(
  config: Config,
  find: () => Promise<string | undefined> = findInterpreter,
): Promise<string> {
  const interpreter = config.apps.shell.interpreter ?? (await find());
  if (interpreter === undefined) {
    throw new AppError('no shell interpreter found (set apps.shell.interpreter)');
  }
  return interpreter;
}
