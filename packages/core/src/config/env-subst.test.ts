import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { substituteEnv } from './env-subst.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const name = fc.stringMatching(NAME).filter((n) => n.length <= 20);

describe('substituteEnv', () => {
  it('replaces ${NAME} and ${NAME:-default} in strings, never in keys', () => {
    const { value, errors } = substituteEnv(
      { '${KEY}': 'a ${USER} b', list: ['${HOME:-/root}', 7, true, null], n: '${EMPTY:-fallback}' },
      { USER: 'ann', KEY: 'no', EMPTY: '' },
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(value, {
      '${KEY}': 'a ann b',
      list: ['/root', 7, true, null],
      n: 'fallback',
    });
  });

  it('keeps $${ as a literal ${ and lone dollars as they are', () => {
    const { value } = substituteEnv('cost $5, $${NOT_A_VAR}, $$', {});
    assert.equal(value, 'cost $5, ${NOT_A_VAR}, $$');
  });

  it('names the JSON path of every unset variable', () => {
    const { errors } = substituteEnv(
      { mail: { smtp: { auth: { pass: '${SMTP_PASS}' } } }, list: ['ok', '${A}${B}'] },
      {},
    );
    assert.deepEqual(errors, [
      'mail.smtp.auth.pass: environment variable SMTP_PASS is not set',
      'list[1]: environment variable A is not set',
      'list[1]: environment variable B is not set',
    ]);
  });

  it('refuses malformed references', () => {
    const { errors } = substituteEnv({ a: '${1X}', b: 'x ${OPEN' }, {});
    assert.deepEqual(errors, [
      'a: "${1X}" is not a valid variable reference (write "$${" for a literal)',
      'b: "${" without a closing "}" (write "$${" for a literal "${")',
    ]);
  });

  it('leaves strings without $ unchanged (property)', () => {
    const noDollar = fc.string().filter((s) => !s.includes('$'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        noDollar,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value')),
        fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), tie('value'), {
          noNullPrototype: true,
        }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.dictionary(name, fc.string()), (value, env) => {
        const result = substituteEnv(value, env);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.value, value);
      }),
    );
  });

  it('uses the default of ${X:-d} when X is unset (property)', () => {
    const text = fc.string().filter((s) => !s.includes('$') && !s.includes('}'));
    fc.assert(
      fc.property(name, text, text, text, (x, d, before, after) => {
        const result = substituteEnv(`${before}\${${x}:-${d}}${after}`, {});
        assert.deepEqual(result.errors, []);
        assert.equal(result.value, `${before}${d}${after}`);
      }),
    );
  });

  it('does not expand a value again (property)', () => {
    fc.assert(
      fc.property(name, name, fc.string(), (x, y, around) => {
        fc.pre(x !== y);
        const inserted = `${around}\${${y}}`;
        const result = substituteEnv(`\${${x}}`, { [x]: inserted });
        assert.deepEqual(result.errors, [], 'the inner ${Y} is not looked up');
        assert.equal(result.value, inserted);
      }),
    );
  });
});
