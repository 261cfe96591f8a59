/**
 * `.g` text search (DESIGN §15, reference §8.5): `.g SHORTCUT TEXT` gives the lines of the
 * configured plain file that contain TEXT, ignoring case. The file is streamed line by line,
 * fresh for every command, so it may be large and may change between commands.
 */
import { createReadStream } from 'node:fs';
import { AppError } from '../errors.js';
import { defineApp, type App } from './app.js';
import { tableSettings } from './table-settings.js';
import { checkFiles, unreadable } from './text-search/file-problem.js';
import { searchLines } from './text-search/line-search.js';
import {
  entryOf,
  formatMatches,
  readFailure,
  SEARCH_LIMITS,
  SHORTCUT_NAMES,
  splitCommand,
} from './text-search/search-command.js';

const USAGE = 'usage: .g SHORTCUT TEXT';

/** `apps.textSearch`. */
export interface TextSearchSettings {
  /** Shortcut → path of a plain text file (relative paths: from the config file's folder). */
  readonly files: Readonly<Record<string, string>>;
}

/** The `.g` app. */
export const textSearchApp: App<TextSearchSettings, 'textSearch'> = defineApp({
  trigger: '.g',
  name: 'text search',
  docs: { enabled: 'when `apps.textSearch.files` has one' },
  settings: tableSettings({
    key: 'textSearch',
    table: 'files',
    description:
      'Shortcut → path of a plain text file to search; a relative path is from the config file’s folder.',
    names: SHORTCUT_NAMES,
    entry: { type: 'string', minLength: 1 },
    resolveEntry: (path: string, resolve) => resolve(path),
  }),
  isConfigured: (config) => Object.keys(config.apps.textSearch.files).length > 0,
  selfTest: (config) => checkFiles('textSearch', config.apps.textSearch.files, unreadable),
  async execute(input, ctx) {
    const command = splitCommand(input, 1);
    if (command === undefined) throw new AppError(USAGE);
    const [shortcut = ''] = command.words;
    const path = entryOf(ctx.config.apps.textSearch.files, shortcut);
    try {
      const file = createReadStream(path, { signal: ctx.signal });
      return formatMatches(await searchLines(file, command.text, SEARCH_LIMITS));
    } catch (err) {
      throw readFailure(shortcut, err, ctx.signal);
    }
  },
});
