/**
 * Test support (`@switchboard/core/testing`): the feeds the `.r` suites read, as a feed server
 * serves them (feed-server.ts). Dates are chosen so the merged order is known: newest first,
 * across feeds, undated items last.
 */

/** RSS 2.0: HTML in descriptions, entities, one bad date, one item without a date. */
export const RSS_2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Example news</title>
    <item>
      <title>Rates &amp; markets</title>
      <description>&lt;p&gt;Prices &lt;b&gt;rose&lt;/b&gt;&amp;nbsp;again&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</description>
      <pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Caf&#233; opens</title>
      <description><![CDATA[<p>A new caf&eacute; &ndash; on <a href="https://example.com/?a=1&b=2">Main St</a></p>]]></description>
      <pubDate>Mon, 30 Nov 2026 18:30:00 +0100</pubDate>
    </item>
    <item>
      <title>Bad date</title>
      <description>Kept, though its date is nonsense</description>
      <pubDate>the day before yesterday</pubDate>
    </item>
    <item>
      <title>No date</title>
      <description>Kept too</description>
    </item>
    <item><link>https://example.com/empty</link></item>
  </channel>
</rss>
`;

/** Atom 1.0: text, html and xhtml constructs, published and updated. */
export const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example blog</title>
  <updated>2026-12-01T10:00:00Z</updated>
  <entry>
    <title type="text">Release 2.0 &lt;beta&gt;</title>
    <summary type="html">&lt;p&gt;Faster &amp;amp; smaller&lt;/p&gt;</summary>
    <published>2026-12-01T10:30:00+01:00</published>
    <updated>2026-12-01T12:00:00Z</updated>
  </entry>
  <entry>
    <title>Notes</title>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Plain <b>notes</b></p></div></content>
    <updated>2026-11-29T08:00:00Z</updated>
  </entry>
</feed>
`;

/** RSS 1.0 (RDF): items beside the channel, dates in dc:date. */
export const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>Example RDF</title></channel>
  <item rdf:about="https://example.org/1">
    <title>RDF first</title>
    <description>From an RDF feed</description>
    <dc:date>2026-12-01T08:00:00Z</dc:date>
  </item>
  <item rdf:about="https://example.org/2">
    <title>RDF second</title>
    <dc:date>2026-11-28T08:00:00Z</dc:date>
  </item>
</rdf:RDF>
`;

/** An RSS 2.0 feed of `count` items, one a minute back from 1 Dec 2026 09:00 UTC. */
export function manyItems(count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const date = new Date(Date.UTC(2026, 11, 1, 9, 0) - i * 60_000).toUTCString();
    return `<item><title>Item ${i + 1}</title><pubDate>${date}</pubDate></item>`;
  });
  return `<rss version="2.0"><channel>${items.join('')}</channel></rss>`;
}

/** One item whose title and description are far longer than a line. */
export const LONG = `<rss version="2.0"><channel><item><title>${'Long title '.repeat(10)}</title><description>${'word '.repeat(400)}</description></item></channel></rss>`;

/** A billion laughs: ten levels of ten entities each would expand to 3 GB of "lol". */
export function billionLaughs(): string {
  const levels = Array.from({ length: 9 }, (_, i) => {
    const inner = i === 0 ? 'lol' : `&lol${i};`.repeat(10);
    return `<!ENTITY lol${i + 1} "${inner}">`;
  });
  return `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>`;
}

/** Text that is not XML at all. */
export const NOT_XML = 'this is { not: "xml" }\n';

/** A web page where a feed was expected. */
export const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Home</title></head><body><p>Welcome</body></html>\n';
