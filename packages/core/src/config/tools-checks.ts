/**
 * Cross-key rules of the keys for tools and scripts (DESIGN §12) that JSON Schema cannot say:
 * source lists that node:net must parse, argument patterns that must compile, `{name}`
 * placeholders that must name an argument, and permission lists that must name real commands.
 * Like crossCheck, they read the file after defaults without trusting its types.
 */
import { isSourceEntry, SOURCE_ENTRY_EXPECT } from '../guard/source-list.js';
import { formatPath, isPlainObject, type PathSegment } from './json-path.js';

/** `{name}` in a `run` element. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Every problem of `commands`, `apiKeys`, `maintenance` and password entries. */
export function checkTools(config: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  const commands = isPlainObject(config.commands) ? config.commands : {};
  const known = new Set(Object.keys(commands));
  for (const [name, entry] of Object.entries(commands)) {
    if (isPlainObject(entry)) checkCommand(entry, ['commands', name], errors);
  }
  const keys = isPlainObject(config.apiKeys) ? config.apiKeys : {};
  for (const [name, entry] of Object.entries(keys)) {
    if (!isPlainObject(entry)) continue;
    checkSources(entry.sources, ['apiKeys', name, 'sources'], errors);
    checkCommandNames(entry.commands, ['apiKeys', name, 'commands'], known, errors);
  }
  if (isPlainObject(config.maintenance)) {
    checkSources(config.maintenance.allow, ['maintenance', 'allow'], errors);
  }
  for (const [path, passwords] of passwordLists(config)) {
    if (!Array.isArray(passwords)) continue;
    passwords.forEach((entry: unknown, i) => {
      if (isPlainObject(entry)) {
        checkCommandNames(entry.commands, [...path, i, 'commands'], known, errors);
      }
    });
  }
  return errors;
}

/** A regular expression that the whole value must match. */
export function wholeMatch(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function checkCommand(
  entry: Readonly<Record<string, unknown>>,
  path: PathSegment[],
  errors: string[],
): void {
  checkSources(entry.sources, [...path, 'sources'], errors);
  const args = isPlainObject(entry.args) ? entry.args : {};
  for (const [name, spec] of Object.entries(args)) {
    if (!isPlainObject(spec)) continue;
    checkArg(spec, [...path, 'args', name], errors);
  }
  if (!Array.isArray(entry.run)) return;
  entry.run.forEach((element: unknown, i) => {
    if (typeof element !== 'string') return;
    for (const [, name = ''] of element.matchAll(PLACEHOLDER)) {
      if (i === 0) {
        errors.push(`${formatPath([...path, 'run', 0])}: the program cannot be an argument`);
      } else if (!Object.hasOwn(args, name)) {
        errors.push(`${formatPath([...path, 'run', i])}: {${name}} is not one of its args`);
      }
    }
  });
}

function checkArg(
  spec: Readonly<Record<string, unknown>>,
  path: PathSegment[],
  errors: string[],
): void {
  const { pattern, enum: values } = spec;
  if (pattern === undefined && values === undefined) {
    errors.push(`${formatPath(path)}: needs a pattern or an enum, so that no value goes unchecked`);
    return;
  }
  let regex: RegExp | undefined;
  if (typeof pattern === 'string') {
    try {
      regex = wholeMatch(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      errors.push(`${formatPath([...path, 'pattern'])}: does not compile (${reason})`);
      return;
    }
  }
  const allowed = (value: string): boolean =>
    (regex === undefined || regex.test(value)) &&
    (!Array.isArray(values) || values.includes(value));
  if (typeof spec.default === 'string' && !allowed(spec.default)) {
    errors.push(`${formatPath([...path, 'default'])}: must itself match the pattern or enum`);
  }
}

function checkSources(list: unknown, path: PathSegment[], errors: string[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry: unknown, i) => {
    if (typeof entry === 'string' && !isSourceEntry(entry)) {
      errors.push(`${formatPath([...path, i])}: ${SOURCE_ENTRY_EXPECT}`);
    }
  });
}

function checkCommandNames(
  list: unknown,
  path: PathSegment[],
  known: ReadonlySet<string>,
  errors: string[],
): void {
  if (!Array.isArray(list)) return;
  list.forEach((name: unknown, i) => {
    if (typeof name === 'string' && !known.has(name)) {
      errors.push(`${formatPath([...path, i])}: no command "${name}" in commands`);
    }
  });
}

/** The password lists of the file: the top-level one and each channel's. */
function passwordLists(config: Readonly<Record<string, unknown>>): [PathSegment[], unknown][] {
  const lists: [PathSegment[], unknown][] = [];
  const add = (filters: unknown, path: PathSegment[]): void => {
    if (!isPlainObject(filters) || !isPlainObject(filters.pinAndShortcuts)) return;
    lists.push([[...path, 'pinAndShortcuts', 'passwords'], filters.pinAndShortcuts.passwords]);
  };
  add(config.filters, ['filters']);
  for (const [key, block] of Object.entries(config)) {
    if (isPlainObject(block) && key !== 'filters') add(block.filters, [key, 'filters']);
  }
  return lists;
}
