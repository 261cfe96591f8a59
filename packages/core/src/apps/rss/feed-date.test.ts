import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFeedDate } from './feed-date.js';

/** Instants a feed may carry: whole seconds from 1970 to 9999. */
const instant = fc
  .integer({ min: 0, max: Date.UTC(9999, 11, 31) / 1000 })
  .map((s) => new Date(s * 1000));
/** Zone offsets in minutes, ±14 h. */
const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** `date` as the wall clock at `minutes` east of UTC shows it: its fields, and the zone text. */
function wallClock(date: Date, minutes: number) {
  const local = new Date(date.getTime() + minutes * 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return {
    y: local.getUTCFullYear(),
    mo: local.getUTCMonth(),
    d: local.getUTCDate(),
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`,
    rfc822Zone: `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`,
    rfc3339Zone: `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
  };
}

describe('feed dates', () => {
  it('read back every instant written as RFC 822 in any zone', () => {
    fc.assert(
      fc.property(instant, offset, fc.boolean(), (date, minutes, weekday) => {
        const w = wallClock(date, minutes);
        const day = weekday ? 'Sun, ' : ''; // the weekday is not checked, as readers do not
        const text = `${day}${w.d} ${MONTHS[w.mo] ?? ''} ${w.y} ${w.time} ${w.rfc822Zone}`;
        assert.equal(parseFeedDate(text), date.getTime(), text);
      }),
    );
  });

  it('read back every instant written as RFC 3339 in any zone', () => {
    fc.assert(
      fc.property(instant, offset, (date, minutes) => {
        const w = wallClock(date, minutes);
        const text = `${pad(w.y, 4)}-${pad(w.mo + 1)}-${pad(w.d)}T${w.time}${w.rfc3339Zone}`;
        assert.equal(parseFeedDate(text), date.getTime(), text);
        assert.equal(parseFeedDate(date.toISOString()), date.getTime());
        assert.equal(parseFeedDate(date.toUTCString()), date.getTime());
      }),
    );
  });

  it('never throw, and give a number or nothing, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const t = parseFeedDate(text);
        assert.ok(t === undefined || Number.isFinite(t));
      }),
    );
  });

  it("read laitos' four layouts and the forms feeds use in the wild", () => {
    const cases: [string, string][] = [
      ['Sun, 06 Sep 2009 16:20:00 +0500', '2009-09-06T11:20:00.000Z'],
      ['06 Sep 2009 16:20 GMT', '2009-09-06T16:20:00.000Z'],
      ['Sun, 06 Sep 2009 16:20 UTC', '2009-09-06T16:20:00.000Z'],
      ['06 Sep 09 16:20 +0000', '2009-09-06T16:20:00.000Z'],
      ['Mon, 6 Sep 2021 09:05:00 EDT', '2021-09-06T13:05:00.000Z'],
      ['  tue, 07 sep 2021 09:05:00 pst ', '2021-09-07T17:05:00.000Z'],
      ['Tue, 07 Sep 2021 09:05:00', '2021-09-07T09:05:00.000Z'],
      ['Tue, 07 September 2021 09:05:00 Z', '2021-09-07T09:05:00.000Z'],
      ['2021-09-07T09:05:00.123456Z', '2021-09-07T09:05:00.123Z'],
      ['2021-09-07t09:05:00z', '2021-09-07T09:05:00.000Z'],
      ['2021-09-07 09:05:00+02:00', '2021-09-07T07:05:00.000Z'],
      ['2021-09-07', '2021-09-07T00:00:00.000Z'],
      ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
      ['01 Jan 99 00:00 GMT', '1999-01-01T00:00:00.000Z'],
    ];
    for (const [text, iso] of cases) assert.equal(parseFeedDate(text), Date.parse(iso), text);
  });

  it('refuse what is not a date rather than guess', () => {
    for (const text of [
      '',
      'yesterday',
      '31 Feb 2021 10:00:00 GMT',
      '2021-02-30T10:00:00Z',
      '2021-13-01T00:00:00Z',
      '12 Foo 2021 10:00 GMT',
      '12 Jan 2021 25:00 GMT',
      '12 Jan 2021 10:61 GMT',
      '2021-09-07T09:05:00+25:00',
      '1631005500',
    ]) {
      assert.equal(parseFeedDate(text), undefined, text);
    }
  });
});
