/**
 * The JSON Schemas of the API's bodies and answers (DESIGN §12): the routes validate requests
 * with these, and /api/openapi.json is built from the same objects, so the document cannot
 * drift from what the routes accept.
 */
import { Ajv, type ValidateFunction } from 'ajv';

/** A JSON Schema object. */
export type Schema = Readonly<Record<string, unknown>>;

/** `POST /api/command` as JSON (a form field `command` is the same). */
export const COMMAND_BODY: Schema = {
  type: 'object',
  properties: {
    command: {
      type: 'string',
      description:
        'The command text: with a password first ("mypassword .s uptime"), or without one when an API key is presented.',
    },
  },
  required: ['command'],
};

/** `POST /api/commands/{name}`. */
export const NAMED_BODY: Schema = {
  type: 'object',
  properties: {
    args: {
      type: 'object',
      description: "Argument values by name; see the command's schema in GET /api/commands.",
      additionalProperties: { type: 'string' },
    },
    password: {
      type: 'string',
      description: 'A password of the config, when no Authorization: Bearer key is presented.',
    },
  },
  additionalProperties: false,
};

/** Every answer of a command (DESIGN §4). */
export const ANSWER: Schema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    output: { type: 'string' },
    error: { type: ['string', 'null'] },
  },
  required: ['ok', 'output', 'error'],
};

/** One line of a streamed answer: output as it came, or the final result. */
export const STREAM_LINE: Schema = {
  oneOf: [
    { type: 'object', properties: { output: { type: 'string' } }, required: ['output'] },
    {
      type: 'object',
      properties: { ok: { type: 'boolean' }, error: { type: ['string', 'null'] } },
      required: ['ok', 'error'],
    },
  ],
};

/** `GET /api/commands`. */
export const COMMAND_LIST: Schema = {
  type: 'object',
  properties: {
    commands: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          args: { type: 'object', description: 'The JSON Schema of its "args" object.' },
        },
        required: ['name', 'description', 'args'],
      },
    },
  },
  required: ['commands'],
};

/** `GET /healthz`. */
export const HEALTH: Schema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'degraded'] } },
  required: ['status'],
};

/** The request validators, compiled once per channel. */
export interface BodyValidators {
  readonly command: ValidateFunction<{ command: string }>;
  readonly named: ValidateFunction<{ args?: Record<string, string>; password?: string }>;
}

/** Compiles the request schemas. */
export function bodyValidators(): BodyValidators {
  const ajv = new Ajv({ allowUnionTypes: true });
  return {
    command: ajv.compile<{ command: string }>(COMMAND_BODY),
    named: ajv.compile<{ args?: Record<string, string>; password?: string }>(NAMED_BODY),
  };
}
