import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineApp } from './app.js';
import { APPS, triggerProblems } from './registry.js';

const app = (trigger: string) =>
  defineApp({
    trigger,
    name: `app${trigger}`,
    configKey: trigger,
    configSchema: {},
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
});
