/**
 * docs/apps.md's table of apps is the registry's: one row per app, in registry order, with its
 * trigger (linked to its section), name, when it is enabled and where it is configured, all from
 * the app's own file. Adding an app to the registry without its row and section fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, defineApp, NO_SETTINGS_SCHEMA, type App } from '@switchboard/core';
import { REPO_ROOT } from '../harness.js';
import { headingSlug, tableRows } from './markdown-blocks.js';

const HEADER = ['Trigger', 'App', 'Enabled', 'Config key'];
const PAGE = readFileSync(join(REPO_ROOT, 'docs', 'apps.md'), 'utf8');

/** The heading of an app's section in docs/apps.md. */
const headingOf = (app: App): string => `\`${app.trigger}\` ${app.name}`;

/** An app's row of the table, as its cells. */
function rowOf(app: App): string[] {
  const configKey =
    app.docs.configKey ?? (app.settings === undefined ? '—' : `apps.${app.settings.key}`);
  return [
    `[\`${app.trigger}\`](#${headingSlug(headingOf(app))})`,
    app.sensitive === true ? `${app.name} (sensitive)` : app.name,
    app.docs.enabled,
    configKey === '—' ? configKey : `\`${configKey}\``,
  ];
}

/** The table docs/apps.md should have, to paste when it does not. */
const markdownOf = (apps: readonly App[]): string =>
  [HEADER, HEADER.map(() => '-'), ...apps.map(rowOf)].map((r) => `| ${r.join(' | ')} |`).join('\n');

describe('docs/apps.md', () => {
  it("has the registry's table of apps", () => {
    assert.deepEqual(
      tableRows(PAGE, HEADER),
      APPS.map(rowOf),
      `docs/apps.md's table should be (then npm run format):\n${markdownOf(APPS)}`,
    );
  });

  it('has a section for every app', () => {
    const headings = new Set([...PAGE.matchAll(/^## (.+)$/gm)].map((m) => m[1]));
    for (const app of APPS) assert.ok(headings.has(headingOf(app)), `## ${headingOf(app)}`);
  });

  it('would miss the row of an app added to the registry', () => {
    const added = defineApp<Record<string, never>, 'echo'>({
      trigger: '.y',
      name: 'echo',
      docs: { enabled: 'always' },
      settings: { key: 'echo', schema: NO_SETTINGS_SCHEMA, defaults: {} },
      isConfigured: () => true,
      execute: (input) => Promise.resolve(input),
    });
    const rows = [...APPS, added].map(rowOf);
    assert.deepEqual(rows.at(-1), ['[`.y`](#y-echo)', 'echo', 'always', '`apps.echo`']);
    assert.notDeepEqual(tableRows(PAGE, HEADER), rows);
  });
});
