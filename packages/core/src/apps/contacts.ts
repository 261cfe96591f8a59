/**
 * `.c` contacts (DESIGN §15, reference §8.13): searches the config's table of contacts. laitos
 * ships a fixed table of rescue centres and, when nothing matches, retries with ever shorter
 * prefixes of the query and finally answers the whole table; here the owner configures the
 * table, every word of the query must match, and no match is one line saying so.
 */
import { AppError } from '../errors.js';
import { email, str } from '../config/schema-builders.js';
import { defineApp, type App } from './app.js';
import { tableSettings } from './table-settings.js';

/** The most contacts one answer lists; the rest are counted. */
export const MAX_CONTACTS_SHOWN = 50;

/** One contact: at least one way to reach them, or a note. */
export interface Contact {
  readonly phone?: string;
  readonly email?: string;
  readonly note?: string;
}

/** `apps.contacts`. */
export interface ContactsSettings {
  /** Name → contact, listed in this order. */
  readonly entries: Readonly<Record<string, Contact>>;
}

/** The `.c` app. */
export const contactsApp: App<ContactsSettings, 'contacts'> = defineApp({
  trigger: '.c',
  name: 'contacts',
  docs: { enabled: 'when `apps.contacts.entries` has one' },
  settings: tableSettings({
    key: 'contacts',
    table: 'entries',
    description: 'Name → contact ({phone, email, note}, each optional), listed in order.',
    names: { minLength: 1, maxLength: 100 },
    entry: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        phone: str('A phone number, as you would dial it.', { minLength: 1, maxLength: 50 }),
        email: email('An e-mail address.'),
        note: str('Anything else: hours, what to say.', { minLength: 1, maxLength: 500 }),
      },
    },
  }),
  isConfigured: (config) => Object.keys(config.apps.contacts.entries).length > 0,
  execute(input, ctx) {
    const entries = Object.entries(ctx.config.apps.contacts.entries);
    const words = input.toLowerCase().split(/\s+/).filter(Boolean);
    const lines = entries
      .filter(([name, contact]) => words.every((word) => holds(name, contact, word)))
      .map(([name, contact]) => lineOf(name, contact));
    if (lines.length === 0) {
      throw new AppError(
        `no contact matches "${input}" (${entries.length} contacts; .c lists them)`,
      );
    }
    const shown = lines.slice(0, MAX_CONTACTS_SHOWN);
    if (lines.length > shown.length) {
      shown.push(`... and ${lines.length - shown.length} more; narrow the search`);
    }
    return Promise.resolve(shown.join('\n'));
  },
});

/** Whether one of the contact's fields, its name included, holds `word` (lower case). */
function holds(name: string, { phone, email, note }: Contact, word: string): boolean {
  return [name, phone, email, note].some((field) => field?.toLowerCase().includes(word));
}

/** `name: phone, email, note`, leaving out what the contact does not have. */
function lineOf(name: string, { phone, email, note }: Contact): string {
  return `${name}: ${[phone, email, note].filter((v) => v !== undefined).join(', ')}`;
}
