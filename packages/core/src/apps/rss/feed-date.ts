/**
 * The dates feeds carry: RSS 2.0's `pubDate` in RFC 822 form (with RFC 2822's four-digit
 * years), and Atom's and RSS 1.0's (`dc:date`) RFC 3339. Lenient where feeds are sloppy (case,
 * spaces, a one-digit day, a missing weekday, seconds or zone); a text that is not a real date
 * is no date rather than a guess, so its item sorts last instead of its feed being dropped.
 */

const RFC_822 =
  /^(?:[a-z]{2,9}\.?,?\s+)?(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-]\d{4}|[a-z]{1,5}))?$/i;
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[t\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(z|[+-]\d{2}:?\d{2})?)?$/i;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * RFC 822 §5.1 zone names, in minutes east of UTC. RFC 2822 §4.3: any other alphabetic zone
 * (and the military letters) "SHOULD be considered equivalent to -0000".
 */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

/** The instant `text` names, in ms since the epoch, or undefined when it is no date. */
export function parseFeedDate(text: string): number | undefined {
  const trimmed = text.trim();
  return fromRfc3339(trimmed) ?? fromRfc822(trimmed);
}

function fromRfc822(text: string): number | undefined {
  const m = RFC_822.exec(text);
  if (m === null) return undefined;
  const [, day = '', monthName = '', yearText = '', hh = '', mm = '', ss = '0', zone = 'gmt'] = m;
  const name = monthName.toLowerCase();
  const month = MONTHS.findIndex((full) => full.startsWith(name) && name.length >= 3);
  if (month < 0 || (name.length > 3 && name !== MONTHS[month])) return undefined;
  let year = Number(yearText);
  // RFC 2822 §4.3: two-digit years 00–49 are 2000–2049, 50–99 and three digits add 1900.
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText.length === 3) year += 1900;
  return instant(year, month, Number(day), Number(hh), Number(mm), Number(ss), 0, zoneOf(zone));
}

function fromRfc3339(text: string): number | undefined {
  const m = RFC_3339.exec(text);
  if (m === null) return undefined;
  const [, y = '', mo = '', d = '', hh = '0', mm = '0', ss = '0', frac = '', zone = 'z'] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  return instant(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(hh),
    Number(mm),
    Number(ss),
    ms,
    zoneOf(zone),
  );
}

/** Minutes east of UTC of a zone: `+hhmm`, `+hh:mm`, or a name; undefined when out of range. */
function zoneOf(zone: string): number | undefined {
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric === null) return ZONES[zone.toLowerCase()] ?? 0;
  const [, sign, h = '', m = ''] = numeric;
  if (Number(h) > 23 || Number(m) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(m));
}

/** The instant of a wall-clock time at `zone` minutes east of UTC, if every field is in range. */
function instant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  zone: number | undefined,
): number | undefined {
  if (zone === undefined || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined; // 31 Feb
  // A leap second (23:59:60) is the last second before the next minute.
  date.setUTCHours(hour, minute, Math.min(second, 59), ms);
  return date.getTime() - zone * 60_000;
}
