import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { NO_SETTINGS_SCHEMA, type App } from '../apps/app.js';
import { APPS } from '../apps/registry.js';
import { isPlainObject } from './json-path.js';
import { toJsonText } from './json-text.js';
import { buildConfigSchema, EXPECT_KEYWORD, LISTEN_PATTERN } from './schema.js';

const STAND_INS: readonly App[] = ['shell', 'environment', 'twoFA', 'sendMail'].map((key) => ({
  trigger: `.${key.slice(0, 1)}`,
  name: key,
  docs: { enabled: 'always' },
  settings: { key, schema: NO_SETTINGS_SCHEMA, defaults: {} },
  isConfigured: () => true,
  execute: () => Promise.resolve(''),
}));

/** Every object schema in the tree, with its path. */
function objectSchemas(node: unknown, path = '#'): [string, Record<string, unknown>][] {
  if (Array.isArray(node)) return node.flatMap((item, i) => objectSchemas(item, `${path}/${i}`));
  if (!isPlainObject(node)) return [];
  const here: [string, Record<string, unknown>][] = node.type === 'object' ? [[path, node]] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, inner]) => objectSchemas(inner, `${path}/${key}`)),
  ];
}

describe('buildConfigSchema', () => {
  const schema = buildConfigSchema(STAND_INS);

  it('closes every object: unknown keys are errors, maps say what their values are', () => {
    for (const [path, node] of objectSchemas(schema)) {
      assert.notEqual(
        node.additionalProperties,
        undefined,
        `${path} leaves additionalProperties open`,
      );
      assert.notEqual(node.additionalProperties, true, `${path} allows any key`);
    }
  });

  it('describes every key, for editors', () => {
    for (const [path, node] of objectSchemas(schema)) {
      if (!isPlainObject(node.properties)) continue;
      for (const [key, inner] of Object.entries(node.properties)) {
        assert.ok(isPlainObject(inner) && typeof inner.description === 'string', `${path}/${key}`);
      }
    }
  });

  it('puts each app schema under its configKey', () => {
    const apps = (schema.properties as Record<string, Record<string, unknown>>).apps;
    assert.deepEqual(Object.keys(apps?.properties as object), [
      'shell',
      'environment',
      'twoFA',
      'sendMail',
    ]);
  });

  it('allows "$schema" at the top level and draft-07 as its own dialect', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(properties.$schema?.type, 'string');
  });

  it('annotates listen with what to write', () => {
    const http = (schema.properties as Record<string, Record<string, unknown>>).http;
    const listen = (http?.properties as Record<string, Record<string, unknown>>).listen;
    assert.equal(listen?.[EXPECT_KEYWORD], 'host:port');
    assert.equal(listen.pattern, LISTEN_PATTERN);
    assert.equal(listen.default, '127.0.0.1:8080');
  });
});

describe('packages/core/config.schema.json', () => {
  it('is what `npm run schema` writes from the app registry', async () => {
    const file = await readFile(new URL('../../config.schema.json', import.meta.url), 'utf8');
    assert.equal(
      file,
      toJsonText(buildConfigSchema(APPS)),
      'run `npm run build && npm run schema`',
    );
  });
});
