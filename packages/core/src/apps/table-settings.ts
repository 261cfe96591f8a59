/**
 * Settings that are one table, `apps.<key>.<table>`: name → entry (`.2` accounts, `.a` and `.g`
 * files, `.i` accounts, `.c` entries). Their schema, defaults (an empty table) and path
 * resolving are written once here; the app gives the table's name, what its names and entries
 * must be, and which paths an entry holds.
 */
import type { JsonSchema } from '../config/schema-builders.js';
import type { AppSettings } from './app.js';

/** The settings: one table. */
export type TableSettings<T extends string, E> = Readonly<Record<T, Readonly<Record<string, E>>>>;

/** What the app says of its table. */
export interface TableSpec<K extends string, T extends string, E> {
  readonly key: K;
  readonly table: T;
  /** The table's description in the schema and docs. */
  readonly description: string;
  /** The schema of a name (propertyNames), when not any string. */
  readonly names?: JsonSchema;
  /** The schema of an entry. */
  readonly entry: JsonSchema;
  /** The entry with the file paths it holds made absolute by `resolve`. */
  readonly resolveEntry?: (entry: E, resolve: (path: string) => string) => E;
}

/** The app's `settings` for a one-table block. */
export function tableSettings<K extends string, T extends string, E>(
  spec: TableSpec<K, T, E>,
): AppSettings<K, TableSettings<T, E>> {
  const { key, table, description, names, entry, resolveEntry } = spec;
  const tableOf = (entries: Readonly<Record<string, E>>) =>
    ({ [table]: entries }) as TableSettings<T, E>;
  return {
    key,
    defaults: tableOf({}),
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        [table]: {
          type: 'object',
          description,
          ...(names === undefined ? {} : { propertyNames: names }),
          additionalProperties: entry,
        },
      },
    },
    ...(resolveEntry === undefined
      ? {}
      : {
          resolvePaths: (settings, resolve) =>
            tableOf(
              Object.fromEntries(
                Object.entries(settings[table]).map(([name, e]) => [
                  name,
                  resolveEntry(e, resolve),
                ]),
              ),
            ),
        }),
  };
}
