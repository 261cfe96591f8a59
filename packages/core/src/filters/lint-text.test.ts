import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LintTextConfig } from '../config/types.js';
import { hasVisibleCharacter, lintText } from './lint-text.js';

const OFF: LintTextConfig = {
  trimSpaces: false,
  compressToSingleLine: false,
  keepVisible7BitCharOnly: false,
  compressSpaces: false,
  beginPosition: 0,
  maxLength: 0,
};
const ALL: LintTextConfig = {
  trimSpaces: true,
  compressToSingleLine: true,
  keepVisible7BitCharOnly: true,
  compressSpaces: true,
  beginPosition: 2,
  maxLength: 200,
};
const MIXED = 'abc \r\n\t def 123\t456 @#$<>\r\t\n 任意的';

describe('lintText (laitos vectors)', () => {
  it('changes nothing with every step off', () => {
    assert.equal(lintText(MIXED, OFF), MIXED);
    assert.equal(lintText('', OFF), '');
  });

  it('applies all six steps in order', () => {
    assert.equal(lintText('', ALL), '');
    assert.equal(lintText('aaa  \r\n\t', ALL), 'a');
    assert.equal(lintText(MIXED, ALL), 'c;def 123 456 @#$<>;???');
    assert.equal(lintText(lintText(MIXED, ALL), { ...ALL, maxLength: 10 }), 'def 123 45');
  });

  it('keeps line breaks without compressToSingleLine', () => {
    assert.equal(
      lintText(MIXED, { ...ALL, compressToSingleLine: false }),
      'c\ndef 123 456 @#$<>\n???',
    );
  });

  it('counts characters, not bytes, for beginPosition and maxLength', () => {
    assert.equal(lintText('😀😀abc', { ...OFF, beginPosition: 1, maxLength: 2 }), '😀a');
    assert.equal(lintText('任意的文字', { ...OFF, maxLength: 3 }), '任意的');
    assert.equal(lintText('abc', { ...OFF, beginPosition: 5 }), '');
  });

  it('turns each non-7-bit character into one "?"', () => {
    assert.equal(
      lintText('a😀b\u0007c\ud800', { ...OFF, keepVisible7BitCharOnly: true }),
      'a?b?c?',
    );
  });
});

describe('lintText properties', () => {
  const configs = fc.record({
    trimSpaces: fc.boolean(),
    compressToSingleLine: fc.boolean(),
    keepVisible7BitCharOnly: fc.boolean(),
    compressSpaces: fc.boolean(),
    beginPosition: fc.nat(50),
    maxLength: fc.nat(50),
  });
  const texts = fc.string({
    unit: fc.constantFrom('a', ' ', '\t', '\n', '\r', 'é', '😀', '\ud800', 'Z'),
  });

  it('never returns more than maxLength characters', () => {
    fc.assert(
      fc.property(texts, configs, (text, cfg) => {
        const out = lintText(text, cfg);
        if (cfg.maxLength > 0) assert.ok(Array.from(out).length <= cfg.maxLength);
      }),
    );
  });

  it('leaves only visible 7-bit text and no line break when both are asked for', () => {
    fc.assert(
      fc.property(texts, configs, (text, cfg) => {
        const out = lintText(text, {
          ...cfg,
          keepVisible7BitCharOnly: true,
          compressToSingleLine: true,
        });
        assert.match(out, /^[\x20-\x7e\t\v\f]*$/);
      }),
    );
  });

  it('is a suffix-then-prefix of the unsliced text', () => {
    fc.assert(
      fc.property(texts, configs, (text, cfg) => {
        const whole = Array.from(lintText(text, { ...cfg, beginPosition: 0, maxLength: 0 }));
        const end = cfg.maxLength > 0 ? cfg.beginPosition + cfg.maxLength : undefined;
        assert.equal(lintText(text, cfg), whole.slice(cfg.beginPosition, end).join(''));
      }),
    );
  });
});

describe('hasVisibleCharacter', () => {
  it('sees letters in any script but not whitespace or control characters', () => {
    assert.equal(hasVisibleCharacter('    \t\r\n    '), false);
    assert.equal(hasVisibleCharacter('\u0007\u200b'), false);
    assert.equal(hasVisibleCharacter('test'), true);
    assert.equal(hasVisibleCharacter('中文'), true);
  });
});
