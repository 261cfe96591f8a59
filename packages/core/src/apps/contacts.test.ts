import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createConfigLoader } from '../config/load.js';
import { testRig } from '../harness.js';
import { APPS } from './registry.js';
import { contactsApp, MAX_CONTACTS_SHOWN } from './contacts.js';

const PASSWORD = 'contacts-password';

/** A pipeline whose config has these contacts. */
const rigWith = (entries: Record<string, unknown>) =>
  testRig({
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    apps: { contacts: { entries } },
  });

const ENTRIES = {
  'Coast guard UK': { phone: '+44 344 382 0902', email: 'ukmcc@hmcg.gov.uk', note: '24h' },
  'Mountain rescue': { phone: '112', note: 'say "mountain rescue"' },
  Alice: { email: 'alice@example.com' },
};

describe('.c contacts', () => {
  it('is enabled only when the table has an entry', () => {
    assert.equal(contactsApp.isConfigured(rigWith({}).pipeline.config), false);
    assert.equal(contactsApp.isConfigured(rigWith(ENTRIES).pipeline.config), true);
  });

  it('refuses a contact with nothing in it, or with a key it does not know, naming it', () => {
    const entries = { a: {}, b: { phone: '1', fax: '2' }, c: { email: 'nope' } };
    const result = createConfigLoader(APPS).parse(
      JSON.stringify({ apps: { contacts: { entries } } }),
      {
        env: {},
      },
    );
    assert.deepEqual(result.ok ? [] : result.errors.sort(), [
      'apps.contacts.entries.a: must not be empty',
      'apps.contacts.entries.b.fax: unknown key (allowed: phone, email, note)',
      'apps.contacts.entries.c.email: must be an e-mail address',
    ]);
  });

  it('lists every contact, one a line in table order, for .c alone', async () => {
    const r = await rigWith(ENTRIES).run(`${PASSWORD} .c`);
    assert.equal(
      r.combinedOutput,
      [
        'Coast guard UK: +44 344 382 0902, ukmcc@hmcg.gov.uk, 24h',
        'Mountain rescue: 112, say "mountain rescue"',
        'Alice: alice@example.com',
      ].join('\n'),
    );
  });

  it('finds a query in any field, whatever the case', async () => {
    const rig = rigWith(ENTRIES);
    assert.equal((await rig.run(`${PASSWORD} .c ALICE`)).output, 'Alice: alice@example.com');
    assert.match((await rig.run(`${PASSWORD} .c hmcg`)).output, /^Coast guard UK: /);
    assert.match((await rig.run(`${PASSWORD} .c 112`)).output, /^Mountain rescue: /);
    assert.match((await rig.run(`${PASSWORD} .c 24H`)).output, /^Coast guard UK: /);
  });

  it('wants every word of the query, each anywhere in the contact', async () => {
    const rig = rigWith(ENTRIES);
    assert.equal((await rig.run(`${PASSWORD} .c rescue   say`)).output.split('\n').length, 1);
    assert.match((await rig.run(`${PASSWORD} .c uk 24h`)).output, /^Coast guard UK: /);
    assert.equal((await rig.run(`${PASSWORD} .c uk alice`)).error?.code, 'APP_FAILED');
  });

  it('answers a query that matches nothing with one line, not the whole table', async () => {
    const r = await rigWith(ENTRIES).run(`${PASSWORD} .c zzz-nobody`);
    assert.equal(r.combinedOutput, 'no contact matches "zzz-nobody" (3 contacts; .c lists them)');
  });

  it(`shows at most ${MAX_CONTACTS_SHOWN} contacts and says how many more there are`, async () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_CONTACTS_SHOWN + 7 }, (_, i) => [`person ${i}`, { phone: `${i}` }]),
    );
    const lines = (await rigWith(many).run(`${PASSWORD} .c person`)).output.split('\n');
    assert.equal(lines.length, MAX_CONTACTS_SHOWN + 1);
    assert.equal(lines.at(-1), '... and 7 more; narrow the search');
  });

  it('lists exactly the contacts holding the query (property)', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'B', 'c', ' ', '1', '+', 'é') });
    const entry = fc.record({ phone: field, email: field, note: field }, { requiredKeys: [] });
    const table = fc.dictionary(
      field.filter((s) => s.trim() !== ''),
      entry,
      { minKeys: 1, maxKeys: 8 },
    );
    const query = fc.string({ unit: fc.constantFrom('a', 'b', 'C', '1', 'é'), minLength: 1 });
    await fc.assert(
      fc.asyncProperty(table, query, async (entries, q) => {
        const r = await rigWith(entries).run(`${PASSWORD} .c ${q}`);
        const expected = Object.entries(entries).filter(([name, e]) =>
          [name, e.phone, e.email, e.note].some((v) => v?.toLowerCase().includes(q.toLowerCase())),
        );
        if (expected.length === 0) assert.equal(r.error?.code, 'APP_FAILED');
        else assert.equal(r.output.split('\n').length, expected.length);
      }),
      { numRuns: 100 },
    );
  });
});
