import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spellPhonetically } from './phonetic.js';

describe('spellPhonetically', () => {
  it("spells laitos' vector", () => {
    assert.equal(
      spellPhonetically('account1  \tme@gmail.com \n7&!x$NRj&T'),
      'alpha, charlie, charlie, oscar, uniform, november, tango, one, space, mike, echo, at, ' +
        'golf, mike, alpha, india, lima, dot, charlie, oscar, mike, space, seven, ampersand, ' +
        'exclamation, xray, dollar, capital november, capital romeo, juliet, ampersand, ' +
        'capital tango',
    );
  });

  it('names every symbol of the table', () => {
    assert.equal(
      spellPhonetically('`~()[]{}\\|\'",<>/?'),
      'back tick, tilde, left parentheses, right parentheses, left square bracket, ' +
        'right square bracket, left curly bracket, right curly bracket, back slash, pipe, ' +
        'single quote, double quote, comma, left angle bracket, right angle bracket, slash, ' +
        'question',
    );
  });

  it('says other characters as themselves', () => {
    assert.equal(spellPhonetically('é É'), 'é, space, capital é');
    assert.equal(spellPhonetically(''), '');
  });
});
