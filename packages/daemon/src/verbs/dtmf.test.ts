import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { decodeDtmf } from '@switchboard/twilio';
import { EXIT, UsageError, type Io } from '../io.js';
import { DTMF_HELP, dtmf } from './dtmf.js';

/** An Io whose output is kept as text. */
function capture(): { io: Io; out: () => string; err: () => string } {
  const chunks = { out: '', err: '' };
  const sink = (key: 'out' | 'err'): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks[key] += chunk.toString();
        done();
      },
    });
  return {
    io: { stdout: sink('out'), stderr: sink('err'), env: {}, isTty: false },
    out: () => chunks.out,
    err: () => chunks.err,
  };
}

describe('switchboard dtmf', () => {
  it('has help that starts with the usage line', () => {
    assert.ok(DTMF_HELP.startsWith('Usage: switchboard dtmf [--encode] TEXT'));
  });

  it('decodes digits into the text they type', async () => {
    const c = capture();
    const code = await dtmf(
      { encode: false, text: '88833777999777733222777338014207777087778833' },
      c.io,
    );
    assert.equal(code, EXIT.ok);
    assert.equal(c.out(), 'verysecret.strue\n');
    assert.equal(c.err(), '');
  });

  it('reports dropped sequences and exits 1', async () => {
    const c = capture();
    assert.equal(await dtmf({ encode: false, text: '2022222' }, c.io), EXIT.failed);
    assert.equal(c.out(), 'a\n');
    assert.match(c.err(), /dropped, not in the keypad table: 22222/);
  });

  it('notes the phonetic prefix and decodes what follows it', async () => {
    const c = capture();
    assert.equal(await dtmf({ encode: false, text: '012344' }, c.io), EXIT.ok);
    assert.equal(c.out(), 'h\n');
    assert.match(c.err(), /spelled phonetically/);
  });

  it('encodes a text: one line per character, then the digits alone', async () => {
    const c = capture();
    assert.equal(await dtmf({ encode: true, text: 'Hi all 1' }, c.io), EXIT.ok);
    const lines = c.out().trimEnd().split('\n');
    assert.equal(lines.length, Array.from('Hi all 1').length + 1);
    assert.deepEqual(lines.slice(0, -1), [
      'H       *44   (* turns capitals on)',
      'i       *444  (* turns capitals off)',
      'space   00    (0 ends the letter)',
      'a       2',
      'l       555',
      'l       0555  (0 separates two letters on the same key)',
      'space   00    (0 ends the letter)',
      '1       110   (digits and symbols end with 0)',
    ]);
    const digits = lines.at(-1) ?? '';
    assert.equal(digits, '*44*44400255505550011' + '0');
    assert.equal(decodeDtmf(digits), 'Hi all 1');
  });

  it('refuses a character the keypad cannot type as a usage error', async () => {
    const c = capture();
    await assert.rejects(dtmf({ encode: true, text: 'café' }, c.io), (err: unknown) => {
      return err instanceof UsageError && err.message.includes('"é"');
    });
  });

  it('refuses a missing text as a usage error', async () => {
    await assert.rejects(dtmf({ encode: false, text: undefined }, capture().io), UsageError);
    await assert.rejects(dtmf({ encode: true, text: '' }, capture().io), UsageError);
  });
});
