import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../config/defaults.js';
import { createConfigLoader } from '../config/load.js';
import { defineApp, type App } from './app.js';
import { APPS, triggerProblems } from './registry.js';

const app = (trigger: string) =>
  defineApp({
    trigger,
    name: `app${trigger}`,
    docs: { enabled: 'always' },
    isConfigured: () => true,
    execute: () => Promise.resolve(''),
  });

interface GreetSettings {
  readonly greeting: string;
  readonly loud: boolean;
}

/** An app with settings, as a new app file would declare it. */
const greetApp: App<GreetSettings, 'greet'> = defineApp({
  trigger: '.hi',
  name: 'greet',
  docs: { enabled: 'always' },
  settings: {
    key: 'greet',
    defaults: { greeting: 'hello', loud: false },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        greeting: { type: 'string', description: 'What to say.' },
        loud: { type: 'boolean', description: 'Shout it.' },
      },
    },
  },
  isConfigured: () => true,
  execute: () => Promise.resolve(''),
});

describe('the app registry', () => {
  it('has no clashing triggers', () => {
    assert.deepEqual(triggerProblems(APPS), []);
  });

  it('reports duplicates, prefixes and malformed triggers', () => {
    assert.equal(triggerProblems([app('.s'), app('.S')]).length, 1);
    assert.match(triggerProblems([app('.s'), app('.sx')])[0] ?? '', /clash/);
    assert.match(triggerProblems([app('s')])[0] ?? '', /bad trigger/);
  });

  it("derives config apps from the list: an added app's schema and defaults come with it", () => {
    const loader = createConfigLoader([...APPS, greetApp]);
    const ok = loader.parse('{"apps": {"greet": {"loud": true}}}', { env: {} });
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepEqual(ok.config.apps, {
      ...applyDefaults({}, APPS).apps,
      greet: { greeting: 'hello', loud: true },
    });
    const bad = loader.parse('{"apps": {"greet": {"loud": "yes", "colour": 1}}}', { env: {} });
    assert.deepEqual(!bad.ok && bad.errors.sort(), [
      'apps.greet.colour: unknown key (allowed: greeting, loud)',
      'apps.greet.loud: must be true or false',
    ]);
    const without = createConfigLoader(APPS).parse('{"apps": {"greet": {}}}', { env: {} });
    assert.match((!without.ok && without.errors[0]) || '', /^apps\.greet: unknown key/);
  });
});
