/**
 * Named commands (DESIGN §12): which ones a caller may run, and the argv of one call. Values
 * are checked against their argument's pattern (whole match) or enum, then substituted into
 * `run`, each `{name}` inside one argv element: a value never becomes two arguments, and no
 * shell ever sees it.
 */
import { permitsCommand } from '../auth/grant.js';
import type { Config, Grant, NamedCommandConfig } from '../config/types.js';
import { PLACEHOLDER, wholeMatch } from '../config/tools-checks.js';
import { PipelineError } from '../errors.js';
import { SourceList } from '../guard/source-list.js';

/** What a call gives: positional values (`.x NAME a b`) or named ones (the HTTP route). */
export type GivenArgs = readonly string[] | Readonly<Record<string, string>>;

/** The program and argv of one checked call. */
export interface Invocation {
  readonly file: string;
  readonly args: readonly string[];
}

/** Whether `source` may run `command` by its `sources` list (empty: anyone). */
export function fromAllowedSource(command: NamedCommandConfig, source: string): boolean {
  return command.sources.length === 0 || new SourceList(command.sources).has(source);
}

/** The names `grant` may run from `source`, sorted: enabled, permitted, from an allowed source. */
export function callableCommands(
  config: Config,
  grant: Grant | undefined,
  source: string,
): string[] {
  return Object.entries(config.commands)
    .filter(
      ([name, command]) =>
        command.enabled && permitsCommand(grant, name) && fromAllowedSource(command, source),
    )
    .map(([name]) => name)
    .sort();
}

/** The argv for `given`, or a BAD_ARGUMENT naming the argument and what it must be. */
export function invocationOf(
  name: string,
  command: NamedCommandConfig,
  given: GivenArgs,
): Invocation | PipelineError {
  const names = Object.keys(command.args);
  const takes = names.length === 0 ? 'no arguments' : names.join(' ');
  const values: Record<string, string> = {};
  if (Array.isArray(given)) {
    if (given.length > names.length) {
      return bad(`too many arguments: ${name} takes ${takes}`);
    }
    given.forEach((value: string, i) => (values[names[i] ?? ''] = value));
  } else {
    for (const [arg, value] of Object.entries(given)) {
      if (!Object.hasOwn(command.args, arg)) {
        return bad(`unknown argument "${arg}": ${name} takes ${takes}`);
      }
      values[arg] = value;
    }
  }
  for (const [arg, spec] of Object.entries(command.args)) {
    const value = values[arg] ?? spec.default;
    if (value === undefined) return bad(`argument "${arg}" is required`);
    if (spec.pattern !== undefined && !wholeMatch(spec.pattern).test(value)) {
      return bad(`argument "${arg}" must match ${spec.pattern}`);
    }
    if (spec.enum !== undefined && !spec.enum.includes(value)) {
      return bad(`argument "${arg}" must be one of ${spec.enum.join(', ')}`);
    }
    values[arg] = value;
  }
  const [file = '', ...rest] = command.run;
  return {
    file,
    args: rest.map((element) =>
      element.replace(PLACEHOLDER, (_, arg: string) => values[arg] ?? ''),
    ),
  };
}

function bad(text: string): PipelineError {
  return new PipelineError('BAD_ARGUMENT', text);
}

/** The JSON Schema of a command's `args` object: one source for the API list and its docs. */
export function argsSchema(command: NamedCommandConfig): Readonly<Record<string, unknown>> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [arg, spec] of Object.entries(command.args)) {
    properties[arg] = {
      type: 'string',
      ...(spec.pattern === undefined ? {} : { pattern: `^(?:${spec.pattern})$` }),
      ...(spec.enum === undefined ? {} : { enum: spec.enum }),
      ...(spec.default === undefined ? {} : { default: spec.default }),
      ...(spec.description === undefined ? {} : { description: spec.description }),
    };
    if (spec.default === undefined) required.push(arg);
  }
  return {
    type: 'object',
    properties,
    ...(required.length === 0 ? {} : { required }),
    additionalProperties: false,
  };
}
