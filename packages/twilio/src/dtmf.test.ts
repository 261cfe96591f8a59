import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DTMF_ALPHABET,
  DtmfEncodeError,
  canEncodeDtmf,
  decodeDtmf,
  decodeDtmfVerbose,
  encodeDtmf,
} from './dtmf.js';

describe('decodeDtmf', () => {
  // laitos' TestDTMFDecode vectors (reference laitos-daemons.md §6.4).
  const vectors: [string, string][] = [
    ['', ''],
    ['0', ' '],
    ['01470', ' \x1e'],
    [" awzxv<>?  \n\t<w;'{}   -=  ", ''],
    ['02033004440009999', ' ae i  z'],
    ['020330044400099990000', ' ae i  z   '],
    ['20*330*4440**9999', 'aEiz'],
    ['2010*220*1102220120*3013', 'a0B1c2D3'],
    ['2*2*22*222*', 'aAbC'],
    ['23344456677789999', 'aeijnrtz'],
    ['2334440\n110\n566777*\n11100\n800\n9999*', 'aei1jnr! T Z'],
  ];
  for (const [digits, text] of vectors) {
    it(`decodes ${JSON.stringify(digits)} to ${JSON.stringify(text)}`, () => {
      assert.equal(decodeDtmf(digits), text);
    });
  }

  it('decodes every symbol, digit and letter of the table', () => {
    const text = '1234567890!@#$%^&*(`~)-_=+[{]}\\|;:\'",<.>/?abcABC';
    const digits =
      '110120130140150160170180190101110 1120 1130 1140 1150 1160 1170 1180 1190' +
      ' 1210 1220 1230 1240 1250 1260 1270 1280 1290 1310 1320 1330 1340 1350 1360 1370 1380' +
      ' 1390 1410 1420 1430 1440 1450 20220222*20220222*';
    // Spaces between groups are ignored by the decoder; they only keep this line readable.
    assert.equal(decodeDtmf(digits.replaceAll(' ', '')), text);
  });

  it('drops sequences outside the table and reports them', () => {
    assert.deepEqual(decodeDtmfVerbose('22222'), { text: '', dropped: ['22222'] });
    assert.deepEqual(decodeDtmfVerbose('12120'), { text: '', dropped: ['1212'] });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        decodeDtmf(input);
      }),
    );
  });
});

describe('encodeDtmf', () => {
  it('separates letters on the same key with 0 and ends digits and symbols with 0', () => {
    const { keys, steps } = encodeDtmf('hello 1!');
    assert.equal(keys, '44335550555666001101110');
    assert.deepEqual(
      steps.map((s) => s.keys),
      ['44', '33', '555', '0555', '666', '00', '110', '1110'],
    );
    assert.equal(steps[3]?.note, '0 separates two letters on the same key');
  });

  it('presses * only where the case changes', () => {
    assert.equal(encodeDtmf('HEllo').keys, '*4433*5550555666');
    assert.equal(decodeDtmf('*4433*5550555666'), 'HEllo');
  });

  it("types laitos' example command", () => {
    assert.equal(encodeDtmf('verysecret.strue').keys, '888337779997777332227773381420777787778833');
    assert.equal(decodeDtmf(encodeDtmf('verysecret.strue').keys), 'verysecret.strue');
  });

  it('refuses characters the keypad cannot type, naming each once', () => {
    assert.throws(
      () => encodeDtmf('café ünïcode é'),
      (err: unknown) => err instanceof DtmfEncodeError && err.unsupported.join('') === 'éüï',
    );
    assert.equal(canEncodeDtmf('café'), false);
    assert.equal(canEncodeDtmf('\u212A'), false, 'the Kelvin sign is not a K');
    assert.equal(canEncodeDtmf('Cafe 42!'), true);
  });

  it('round-trips every text the table can express (decode(encode(text)) === text)', () => {
    const unit = fc.constantFrom(...Array.from(DTMF_ALPHABET));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        const { keys, steps } = encodeDtmf(text);
        assert.match(keys, /^[0-9*]*$/);
        assert.equal(steps.length, Array.from(text).length);
        assert.equal(decodeDtmf(keys), text);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips texts that are mostly awkward neighbours', () => {
    // Same-key letters, spaces and symbols next to each other stress the separators.
    const unit = fc.constantFrom(' ', 'a', 'b', 'c', 'A', 'C', '1', '0', '!', '*', '#', '\x1e');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        assert.equal(decodeDtmf(encodeDtmf(text).keys), text);
      }),
      { numRuns: 2000 },
    );
  });
});
