/**
 * `.x` named commands (DESIGN §12): `.x NAME [ARG ...]` runs the configured program of NAME with
 * its arguments checked and substituted whole, never through a shell; `.x` alone lists what the
 * caller may run. The checks (which command, may this caller run it, are the arguments valid,
 * its own rate) are prepare()'s, before anything runs.
 */
import { permitsCommand } from '../auth/grant.js';
import {
  callableCommands,
  fromAllowedSource,
  invocationOf,
  type GivenArgs,
} from '../commands/invocation.js';
import type { Command } from '../command.js';
import { AppError, PipelineError } from '../errors.js';
import { defineApp, type AppOutput, type PrepareContext, type App } from './app.js';
import { runForApp } from './run-for-app.js';

/** The `.x` app; configured when `commands` has an entry. */
export const namedCommandsApp: App<never, never> = defineApp({
  trigger: '.x',
  name: 'named commands',
  docs: { enabled: 'when `commands` has one', configKey: 'commands' },
  isConfigured: (config) => Object.keys(config.commands).length > 0,

  async prepare(input, ctx) {
    const { name, given } = parse(input, ctx.command);
    if (name === '') return {};
    const command = ctx.config.commands[name];
    if (command === undefined || !command.enabled) return unknown(ctx);
    if (!permitsCommand(ctx.grant, name) || !fromAllowedSource(command, ctx.command.source)) {
      ctx.services.refusals.refused('command-permission', 'named command not permitted', {
        command: name,
        channel: ctx.command.channel,
        source: ctx.command.source,
      });
      return new PipelineError('NOT_PERMITTED');
    }
    const invocation = invocationOf(name, command, given);
    if (invocation instanceof PipelineError) return invocation;
    if (
      command.rateLimit !== undefined &&
      !(await ctx.services.store.consume(`command:${name}`, name, command.rateLimit))
    ) {
      return new PipelineError('RATE_LIMITED');
    }
    return command.timeoutSec === undefined ? {} : { timeoutSec: command.timeoutSec };
  },

  async execute(input, ctx): Promise<string | AppOutput> {
    const { name, given } = parse(input, ctx.command);
    if (name === '') {
      const names = callableCommands(ctx.config, ctx.grant, ctx.command.source);
      return names.length === 0 ? 'no commands' : names.join(' ');
    }
    const command = ctx.config.commands[name];
    // prepare() has checked both; a reload in between may have removed the command.
    const invocation = command === undefined ? undefined : invocationOf(name, command, given);
    if (invocation === undefined || invocation instanceof PipelineError) {
      throw new AppError(`command ${name} is no longer configured`);
    }
    return runForApp(ctx, invocation.file, invocation.args);
  },
});

/** The name and the given values: named ones from the HTTP route, else the words after NAME. */
function parse(input: string, command: Command): { name: string; given: GivenArgs } {
  const [name = '', ...words] = input.split(/\s+/).filter((w) => w !== '');
  return { name, given: command.args ?? words };
}

function unknown(ctx: PrepareContext): PipelineError {
  const names = callableCommands(ctx.config, ctx.grant, ctx.command.source);
  return new PipelineError('UNKNOWN_COMMAND', names.length === 0 ? '(none)' : names.join(' '));
}
