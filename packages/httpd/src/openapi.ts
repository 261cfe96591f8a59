/**
 * `GET /api/openapi.json` (DESIGN §12): the OpenAPI 3.1 document of the API, built from the
 * schemas the routes validate with (api-schemas.ts). It names no configured command: the list,
 * with each command's argument schema, is `GET /api/commands`, for a caller with a key.
 */
import { readFileSync } from 'node:fs';
import { NAME_PATTERN } from '@switchboard/core';
import {
  ANSWER,
  COMMAND_BODY,
  COMMAND_LIST,
  HEALTH,
  NAMED_BODY,
  STREAM_LINE,
  type Schema,
} from './api-schemas.js';

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: Schema): Schema => ({
  description,
  content: { 'application/json': { schema } },
});

/** The answers of a route that runs a command, by status. */
function commandResponses(): Schema {
  const answer = ref('Answer');
  return {
    '200': {
      description:
        'It ran (ok true), or it ran and failed (ok false, error says why). With Accept: application/x-ndjson, output lines as the command writes, then the result.',
      content: {
        'application/json': { schema: answer },
        'application/x-ndjson': { schema: ref('StreamLine') },
      },
    },
    '400': json(
      'Malformed body, text that is not valid, or an argument that fails its check.',
      answer,
    ),
    '401': json(
      'No valid password, code pair or key; counts toward a ban. Or a malformed Authorization header.',
      answer,
    ),
    '403': json('Banned, or not permitted to run this command.', answer),
    '404': json('No such named command; the error lists those the caller may run.', answer),
    '413': json('Body over 64 KiB or command text over 16 KiB.', answer),
    '429': json('Rate limited.', answer),
    '503': json('Locked down or under maintenance.', answer),
  };
}

/** The document for the API under `basePath`. */
export function openApiDocument(basePath: string): Schema {
  const security = [{}, { bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: packageVersion(),
      description:
        'Run app commands and named commands on this server. Authenticate with a password in the command text, or with Authorization: Bearer <key> (switchboard key new NAME).',
    },
    servers: [{ url: basePath === '' ? '/' : basePath }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        CommandBody: COMMAND_BODY,
        NamedBody: NAMED_BODY,
        Answer: ANSWER,
        StreamLine: STREAM_LINE,
        CommandList: COMMAND_LIST,
        Health: HEALTH,
      },
    },
    paths: {
      '/api/command': {
        post: {
          operationId: 'runCommand',
          summary: 'Run a command text (".s uptime", ".x disk /")',
          security,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('CommandBody') },
              'application/x-www-form-urlencoded': { schema: ref('CommandBody') },
            },
          },
          responses: commandResponses(),
        },
      },
      '/api/commands': {
        get: {
          operationId: 'listCommands',
          summary: 'The named commands this key may run, with their argument schemas',
          security: [{ bearer: [] }],
          responses: {
            '200': json('The commands.', ref('CommandList')),
            '401': json(
              'No key, a wrong key (counts toward a ban), or a malformed header.',
              ref('Answer'),
            ),
            '403': json('Banned.', ref('Answer')),
            '429': json('Rate limited.', ref('Answer')),
            '503': json('Locked down or under maintenance.', ref('Answer')),
          },
        },
      },
      '/api/commands/{name}': {
        post: {
          operationId: 'runNamedCommand',
          summary: 'Run a named command with its arguments',
          security,
          parameters: [
            {
              name: 'name',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: NAME_PATTERN },
            },
          ],
          requestBody: { content: { 'application/json': { schema: ref('NamedBody') } } },
          responses: commandResponses(),
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Whether the daemon answers',
          responses: { '200': json('It does.', ref('Health')) },
        },
      },
    },
  };
}

/** The version of this package (the whole project shares one). */
function packageVersion(): string {
  const url = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
