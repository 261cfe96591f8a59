import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { APPS } from '@switchboard/core';
import { commandShape } from './find-command.js';

const TRIGGERS = APPS.map((app) => app.trigger);
const shape = commandShape(TRIGGERS);
const word = (minLength: number) =>
  fc.string({ minLength, maxLength: 30, unit: 'grapheme-ascii' }).filter((w) => !/\s/.test(w));
const trigger = fc.constantFrom(...TRIGGERS, '.plt', '.S', '.E');

describe('commandShape', () => {
  it('takes every password-length word followed by a trigger, with or without a space', () => {
    fc.assert(
      fc.property(word(7), fc.boolean(), trigger, fc.string(), (w, space, t, rest) => {
        assert.ok(shape.test(`${w}${space ? ' ' : ''}${t} ${rest}`));
        assert.ok(shape.test(`${w} ${t}`));
      }),
    );
  });

  it('never takes a line without a trigger word: domains, prose, short first words', () => {
    const noDots = (w: string) => w.replace(/\./g, '');
    const tld = fc.constantFrom('com', 'org', 'museum', 'net', 'email', 'e2e', 'sh', 'plts');
    fc.assert(
      fc.property(word(1), tld, fc.string(), (name, t, rest) => {
        assert.ok(!shape.test(`${noDots(name)}.${t} ${noDots(rest)}`));
      }),
    );
    fc.assert(
      fc.property(
        word(1).filter((w) => w.length < 7 && !w.includes('.')),
        trigger,
        (w, t) => {
          assert.ok(!shape.test(`${w} ${t} date`));
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('.')),
        (s) => !shape.test(s),
      ),
    );
  });
});
