/**
 * The small builders the config schema is written with, and the patterns several keys share.
 */

/** A JSON Schema object, as handed to ajv and written to config.schema.json. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * Annotation keyword on pattern- or format-checked strings: what a human should write there.
 * Errors print it (`http.listen: must be host:port`) instead of the regular expression.
 */
export const EXPECT_KEYWORD = 'expect';

const PORT = '(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|\\d{1,4})';
const HOST = '(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)';
/** `host:port`, IPv6 hosts in brackets (`[::1]:8080`), ports 0–65535. */
export const LISTEN_PATTERN = `^${HOST}:${PORT}$`;
const EMAIL_PATTERN = '^[^\\s@<>]+@[^\\s@<>]+$';

export function obj(
  description: string,
  properties: Record<string, JsonSchema>,
  required: readonly string[] = [],
): JsonSchema {
  const schema: Record<string, unknown> = {
    type: 'object',
    description,
    additionalProperties: false,
    properties,
  };
  if (required.length > 0) schema.required = required;
  return schema;
}

export function str(description: string, extra: Record<string, unknown> = {}): JsonSchema {
  return { type: 'string', description, ...extra };
}

export function bool(description: string, defaultValue?: boolean): JsonSchema {
  return { type: 'boolean', description, default: defaultValue };
}

export function int(
  description: string,
  minimum: number,
  maximum?: number,
  def?: number,
): JsonSchema {
  return { type: 'integer', description, minimum, maximum, default: def };
}

export function arr(description: string, items: JsonSchema, defaultValue?: unknown): JsonSchema {
  return { type: 'array', description, items, default: defaultValue };
}

export const email = (description: string): JsonSchema =>
  str(description, { pattern: EMAIL_PATTERN, [EXPECT_KEYWORD]: 'an e-mail address' });

export const httpUrl = (description: string, def?: string): JsonSchema =>
  str(description, {
    format: 'uri',
    pattern: '^https?://',
    [EXPECT_KEYWORD]: 'an http:// or https:// URL',
    default: def,
  });

export const listen = (description: string, def: string): JsonSchema =>
  str(description, { pattern: LISTEN_PATTERN, [EXPECT_KEYWORD]: 'host:port', default: def });
