/**
 * Reads a config file: JSON → `${ENV}` substitution → schema → defaults (state paths in
 * `$STATE_DIRECTORY` when set) → cross-key checks → deep-freeze; a file's relative TLS paths
 * are resolved from its directory. Every problem is collected and reported at once as
 * `json.path: expectation` lines; nothing stops at the first one (STYLE §5).
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsMod from 'ajv-formats';
import type { App } from '../apps/app.js';
import { crossCheck } from './cross-checks.js';
import { resolvePrograms } from './programs.js';
import { applyDefaults, deepFreeze } from './defaults.js';
import { substituteEnv, type Env } from './env-subst.js';
import { formatPath, isPlainObject, locateJsonError, pointerToPath } from './json-path.js';
import { resolveFilePaths } from './relative-paths.js';
import { EXPECT_KEYWORD, buildConfigSchema, type JsonSchema } from './schema.js';
import { applyStateDirectory, stateDirectoryProblems } from './state-directory.js';
import type { Config } from './types.js';

// ajv-formats is CommonJS; under NodeNext its callable is the default export's `default`.
const addFormats = addFormatsMod.default;

/** A loaded config, or every problem found in the file. */
export type ConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: string[] };

/** What parsing needs besides the text. */
export interface ParseOptions {
  /** Where `${NAME}` values come from, usually `process.env`. */
  readonly env: Env;
  /** Names the file in JSON syntax errors; default `config`. */
  readonly fileName?: string;
}

/** A schema compiled once for one app list; parse and load as often as needed (reloads). */
export interface ConfigLoader {
  /** The schema the loader validates with (what config.schema.json holds). */
  readonly schema: JsonSchema;
  /** Parses config text. */
  parse(text: string, options: ParseOptions): ConfigResult;
  /**
   * Reads and parses a file; an unreadable file is one error, not an exception. Relative TLS
   * paths come back resolved from the file's directory.
   */
  load(path: string, options: { readonly env: Env }): Promise<ConfigResult>;
}

/** Compiles the config schema for these apps; throws if an app's configSchema is invalid. */
export function createConfigLoader(apps: readonly App[]): ConfigLoader {
  const schema = buildConfigSchema(apps);
  const validate = compile(schema);
  const parse = (text: string, options: ParseOptions): ConfigResult =>
    parseWith(validate, apps, text, options);
  return {
    schema,
    parse,
    async load(path, options) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, errors: [`${path}: cannot read (${reason})`] };
      }
      const result = parse(text, { env: options.env, fileName: path });
      return result.ok
        ? { ok: true, config: resolveFilePaths(result.config, dirname(path), apps) }
        : result;
    },
  };
}

/** Parses config text once; compiles the schema each call, so prefer createConfigLoader(). */
export function parseConfig(
  text: string,
  options: ParseOptions & { readonly apps: readonly App[] },
): ConfigResult {
  return createConfigLoader(options.apps).parse(text, options);
}

/** Reads and parses a config file once; see createConfigLoader() for repeated loads. */
export function loadConfigFile(
  path: string,
  options: { readonly env: Env; readonly apps: readonly App[] },
): Promise<ConfigResult> {
  return createConfigLoader(options.apps).load(path, options);
}

function compile(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv, ['uri', 'hostname']);
  ajv.addKeyword({ keyword: EXPECT_KEYWORD, schemaType: 'string' });
  return ajv.compile(schema);
}

function parseWith(
  validate: ValidateFunction,
  apps: readonly App[],
  text: string,
  options: ParseOptions,
): ConfigResult {
  const fileName = options.fileName ?? 'config';
  // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const { line, column } = locateJsonError(source);
    const reason = error instanceof Error ? cleanJsonMessage(error.message) : String(error);
    return {
      ok: false,
      errors: [`${fileName}: invalid JSON at line ${line} column ${column}: ${reason}`],
    };
  }

  const substituted = substituteEnv(parsed, options.env);
  const errors = new Set(substituted.errors);
  const data = substituted.value;
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const line = describe(error, data);
      // A string with an unset variable already has its error; its pattern failure is noise.
      if (line !== undefined && !substituted.errorPaths.has(line.path)) {
        errors.add(`${line.path}: ${line.message}`);
      }
    }
  }
  if (!isPlainObject(data)) return { ok: false, errors: [...errors] };

  // State paths the file leaves out go to $STATE_DIRECTORY when it is set (systemd, Docker).
  for (const error of stateDirectoryProblems(options.env)) errors.add(error);
  const defaulted = {
    ...applyStateDirectory(applyDefaults(data, apps), data, options.env, apps),
    referencedEnv: [...substituted.names].sort(),
  };
  for (const error of crossCheck(defaulted)) errors.add(error);
  if (errors.size > 0) return { ok: false, errors: [...errors] };
  const { config, errors: programErrors } = resolvePrograms(defaulted, options.env);
  if (programErrors.length > 0) return { ok: false, errors: programErrors };
  return { ok: true, config: deepFreeze(config) };
}

/** V8 messages may quote the whole file (`..., "{...}" is not valid JSON`); keep the reason. */
function cleanJsonMessage(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of file');
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** One ajv error as a path and a human expectation; undefined for purely structural errors. */
function describe(
  error: ErrorObject,
  data: unknown,
): { path: string; message: string } | undefined {
  const params: Readonly<Record<string, unknown>> = error.params;
  const parent = (error.parentSchema ?? {}) as Readonly<Record<string, unknown>>;
  const path = pointerToPath(error.instancePath, data);
  const expect = parent[EXPECT_KEYWORD];
  const limit = String(params.limit);
  let message: string;
  switch (error.keyword) {
    case 'additionalProperties': {
      path.push(String(params.additionalProperty));
      const allowed = isPlainObject(parent.properties) ? Object.keys(parent.properties) : [];
      message =
        allowed.length === 0
          ? 'unknown key (this object takes no keys)'
          : `unknown key (allowed: ${allowed.join(', ')})`;
      break;
    }
    case 'required':
      path.push(String(params.missingProperty));
      message = 'is required';
      break;
    case 'type':
      message = `must be ${String(params.type)
        .split(',')
        .map((name) => TYPE_NAMES[name] ?? name)
        .join(' or ')}`;
      break;
    case 'pattern':
    case 'format':
      message =
        typeof expect === 'string'
          ? `must be ${expect}`
          : `must match ${String(params.pattern ?? params.format)}`;
      break;
    case 'minLength':
      message = limit === '1' ? 'must not be empty' : `must be at least ${limit} characters`;
      break;
    case 'maxLength':
      message = `must be at most ${limit} characters`;
      break;
    case 'minProperties':
      message = limit === '1' ? 'must not be empty' : `must have at least ${limit} keys`;
      break;
    case 'minimum':
      message = `must be at least ${limit}`;
      break;
    case 'maximum':
      message = `must be at most ${limit}`;
      break;
    case 'exclusiveMinimum':
      message = `must be greater than ${limit}`;
      break;
    case 'minItems':
    case 'maxItems':
    case 'additionalItems':
      message =
        typeof parent.minItems === 'number' && parent.minItems === parent.maxItems
          ? `must have exactly ${parent.minItems} items`
          : `${error.keyword === 'minItems' ? 'must have at least' : 'must have at most'} ${limit} items`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'not':
      // A key that another rules out (`{not: {}}`); `expect` says when.
      message = typeof expect === 'string' ? `must be ${expect}` : 'is not allowed here';
      break;
    case 'if':
      // The failed `then` has its own error (`iv: is required`); this one only says it failed.
      return undefined;
    case 'propertyNames':
      // The inner error (with error.propertyName) names the key; this one only repeats it.
      return undefined;
    default:
      message = error.message ?? `fails ${error.keyword}`;
  }
  // Set on errors about an object's key names (propertyNames), not about a value.
  const key = error.propertyName;
  if (key !== undefined) {
    path.push(key);
    message = `key ${message}`;
  }
  return { path: formatPath(path), message };
}
