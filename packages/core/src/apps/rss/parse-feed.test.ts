import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATOM,
  billionLaughs,
  HTML_PAGE,
  manyItems,
  NOT_XML,
  RDF,
  RSS_2,
} from '../../feed-fixtures.js';
import { FeedError } from './feed-error.js';
import { parseFeed } from './parse-feed.js';

const at = (iso: string): number => Date.parse(iso);

describe('parsing a feed', () => {
  it('reads RSS 2.0, HTML removed, entities decoded, keeping items with a bad date or none', () => {
    assert.deepEqual(parseFeed(RSS_2), [
      { title: 'Rates & markets', summary: 'Prices rose again', time: at('2026-12-01T09:00:00Z') },
      { title: 'Café opens', summary: 'A new café – on Main St', time: at('2026-11-30T17:30:00Z') },
      { title: 'Bad date', summary: 'Kept, though its date is nonsense' },
      { title: 'No date', summary: 'Kept too' },
    ]);
  });

  it('reads Atom 1.0: text shown as it is, html and xhtml as HTML, published before updated', () => {
    assert.deepEqual(parseFeed(ATOM), [
      {
        title: 'Release 2.0 <beta>',
        summary: 'Faster & smaller',
        time: at('2026-12-01T09:30:00Z'),
      },
      { title: 'Notes', summary: 'Plain notes', time: at('2026-11-29T08:00:00Z') },
    ]);
  });

  it('reads Atom text constructs in every form, markup in order, CDATA as it is', () => {
    const entry = (title: string, summary: string): string =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title ${title}</title><summary ${summary}</summary></entry></feed>`;
    const cases: [string, string, string, string][] = [
      ['>A &amp;lt; B', 'type="html">&lt;i&gt;x&lt;/i&gt; &amp;amp;', 'A &lt; B', 'x &'],
      [
        'type="html"><![CDATA[<b>C</b> &amp;]]>',
        'type="xhtml"><div><p>a <b>b</b> c</p></div>',
        'C &',
        'a b c',
      ],
      ['type="text"><![CDATA[<b>kept</b>]]>', 'type="text">&#233;t&#xE9;', '<b>kept</b>', 'été'],
    ];
    for (const [t, s, title, summary] of cases) {
      assert.deepEqual(parseFeed(entry(t, s)), [{ title, summary }], `${t} ${s}`);
    }
  });

  it('reads RSS 1.0 (RDF), with dates in dc:date', () => {
    assert.deepEqual(parseFeed(RDF), [
      { title: 'RDF first', summary: 'From an RDF feed', time: at('2026-12-01T08:00:00Z') },
      { title: 'RDF second', summary: '', time: at('2026-11-28T08:00:00Z') },
    ]);
  });

  it('reads a single item and a byte order mark', () => {
    const one = '\uFEFF<rss><channel><item><title>Only</title></item></channel></rss>';
    assert.deepEqual(parseFeed(one), [{ title: 'Only', summary: '' }]);
    assert.deepEqual(parseFeed('<rss><channel></channel></rss>'), []);
    assert.equal(parseFeed(manyItems(500)).length, 500);
  });

  it('says in one line why a document is no feed', () => {
    const cases: [string, RegExp][] = [
      [NOT_XML, /^not XML$/],
      ['<rss', /^not XML$/],
      [HTML_PAGE, /^an HTML page, not a feed$/],
      ['<html><body>x</body></html>', /^an HTML page, not a feed$/],
      ['<svg><g/></svg>', /^not an RSS or Atom feed \(root element svg\)$/],
      ['', /^not XML$/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => parseFeed(text),
        (e: unknown) => e instanceof FeedError && reason.test(e.message),
        text,
      );
    }
  });

  it('is lenient with tags left open, as readers are', () => {
    const open = '<rss><channel><item><title>Open</channel></rss>';
    assert.deepEqual(parseFeed(open), [{ title: 'Open', summary: '' }]);
  });

  it('refuses a feed that declares entities (billion laughs) at once, without expanding them', () => {
    const started = performance.now();
    const rss = process.memoryUsage().rss;
    assert.throws(() => parseFeed(billionLaughs()), { message: 'declares XML entities (refused)' });
    assert.ok(performance.now() - started < 500);
    assert.ok(process.memoryUsage().rss - rss < 50 * 1024 * 1024);
  });

  it('stays linear on a hostile prolog', () => {
    const started = performance.now();
    for (const text of [
      `<!DOCTYPE x ${'[a]'.repeat(100_000)}`,
      `<?xml ?>${'<!---->'.repeat(100_000)}x`,
      '<!--'.repeat(100_000),
      `<!DOCTYPE rss [${'<!ENTITY a "b">'.repeat(100_000)}`,
    ]) {
      assert.throws(() => parseFeed(text), FeedError);
    }
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });

  it('keeps an external DOCTYPE (RSS 0.91) and lets no DOCTYPE inside an item count', () => {
    const rss091 =
      '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><item><title>Old</title><description><![CDATA[<!ENTITY is text here>]]></description></item></channel></rss>';
    assert.deepEqual(parseFeed(rss091), [{ title: 'Old', summary: '' }]);
  });
});
